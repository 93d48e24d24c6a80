using System.CommandLine;
using System.Globalization;
using Nas.Latency.Kits;
using Nas.Latency.Profiling;
using Nas.Latency.Tables;
using Nas.Onnx.Runtime;
using Spectre.Console;

namespace Nas.Cli.Commands;

/// <summary>
/// <c>nas lut run-kit</c>: measures a device kit with ONNX Runtime only. Nothing here or below refers to a TorchSharp
/// type, so TorchSharp is never loaded (it has no linux-arm64 build); a test runs this command with TorchSharp's files
/// removed.
/// </summary>
internal static class RunKitCommand
{
    public static Command Create(CliContext context)
    {
        var kit = new Argument<string>("kit") { Description = "kit folder written by 'nas lut kit'" };
        var provider = LutCommands.Provider();
        var threads = CommonOptions.Threads();
        var warmup = LutCommands.Warmup();
        var runs = LutCommands.Runs();
        var trtCache = LutCommands.TensorRtCache();
        var output = CommonOptions.OutputFile("table CSV to write (resumes when it exists)");
        var command = new Command("run-kit", "measure a device kit with ONNX Runtime only (runs on a Jetson from an arm64 publish)") { kit, provider, threads, warmup, runs, trtCache, output };
        command.SetNasAction(context, (parse, token) =>
        {
            OrtOptions options = LutCommands.Ort(parse.GetValue(provider)!, parse.GetValue(threads), parse.GetValue(trtCache));
            var settings = new ProfileSettings(parse.GetValue(threads), parse.GetValue(warmup), parse.GetValue(runs));
            string path = parse.GetValue(output)!;
            LookupTable table = context.WithProgress("run-kit", p => KitRunner.Run(parse.GetValue(kit)!, options, settings, path, p, token));
            context.Console.WriteLine($"measured {table.Rows.Count} entries ({table.Metadata.Provider} {table.Metadata.Precision}, {settings.Threads} threads; run overhead {table.Metadata.RunOverheadMs?.ToString("F3", CultureInfo.InvariantCulture)} ms)");
            context.Console.WriteLine($"wrote {Path.GetFullPath(path)}");
            return Task.FromResult(0);
        });
        return command;
    }
}
