using System.CommandLine;
using System.Globalization;
using Nas.Cli.Benchmarks;
using Nas.Core.Genotypes;
using Nas.Core.SearchSpaces;
using Nas.Deploy;
using Nas.Latency.Profiling;
using Nas.Models;
using Nas.Models.Registry;
using Nas.Onnx.Runtime;
using Spectre.Console;

namespace Nas.Cli.Commands;

/// <summary><c>nas bench inference|precision|search|data|efficacy</c>: whole-workload measurements for docs/benchmarks.md.</summary>
internal static class BenchCommands
{
    public static Command Create(CliContext context)
    {
        var bench = new Command("bench", "measure whole workloads (ratios within one run); results go to docs/benchmarks.md");
        bench.Subcommands.Add(Inference(context));
        bench.Subcommands.Add(PrecisionCommand(context));
        bench.Subcommands.Add(Search(context));
        bench.Subcommands.Add(Data(context));
        bench.Subcommands.Add(BenchEfficacyCommand.Create(context));
        return bench;
    }

    private static string F(double v, string f = "F2") => v.ToString(f, CultureInfo.InvariantCulture);

    private static Command Inference(CliContext context)
    {
        var input = CommonOptions.Input("512x1024");
        var threads = CommonOptions.Threads();
        var runs = new Option<int>("--runs") { Description = "timed runs per network (2 repeats, best median)", DefaultValueFactory = _ => 10 };
        var provider = LutCommands.Provider();
        var trtCache = LutCommands.TensorRtCache();
        var arch = new Option<string>("--arch") { Description = "comma-separated networks (registered names, options as NAME:key=value, genotype or layer-graph files); default: the six published SqueezeNAS networks", HelpName = "NAME,..." };
        var command = new Command("inference", "whole-network latency: ONNX Runtime vs TorchSharp, with MACs, FLOPs and parameters (random weights)") { input, arch, threads, runs, provider, trtCache };
        command.SetNasAction(context, parse =>
        {
            InputSize size = CommonOptions.ParseSize(parse.GetValue(input)!, "--input");
            OrtOptions ort = LutCommands.Ort(parse.GetValue(provider)!, parse.GetValue(threads), parse.GetValue(trtCache));
            string[] networks = parse.GetValue(arch) is string list
                ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : [.. PublishedNetworks.All.Select(n => n.Name)];
            var rows = context.WithProgress("bench", p => BenchmarkRunner.Inference(networks, size, parse.GetValue(threads), parse.GetValue(runs), p, ort));
            var table = new Table().AddColumns("network", "GMACs", "GFLOPs", "params (M)", $"ORT {ort.Provider} median (ms)", "TorchSharp CPU median (ms)", "TorchSharp / ORT");
            foreach (var r in rows)
            {
                table.AddRow(Markup.Escape(r.Network), F(r.Macs / 1e9, "F3"), F(r.Flops / 1e9, "F3"), F(r.Params / 1e6, "F3"), F(r.OrtMs), F(r.TorchMs), F(r.Ratio));
            }

            context.Console.Write(table);
            return 0;
        });
        return command;
    }

    private static Command PrecisionCommand(CliContext context)
    {
        var input = CommonOptions.Input("512x1024");
        var threads = CommonOptions.Threads();
        var runs = new Option<int>("--runs") { Description = "timed runs per network and precision (2 repeats, best median)", DefaultValueFactory = _ => 10 };
        var networks = new Option<string>("--networks") { Description = "comma-separated published networks or genotype files ('all': every network of 'nas arch list')", DefaultValueFactory = _ => "squeezenas-mac-small,squeezenas-lat-small" };
        var precisions = new Option<string>("--precisions") { Description = "comma-separated precisions timed in the same run (first = reference for the ratios)", DefaultValueFactory = _ => "fp32,int8" };
        var calibration = new Option<int>("--calibration-images") { Description = "synthetic scenes INT8 is calibrated on", DefaultValueFactory = _ => 4 };
        var provider = LutCommands.Provider();
        var trtCache = LutCommands.TensorRtCache();
        var json = new Option<string>("--json") { Description = "also write the rows as JSON" };
        var command = new Command("precision", "whole-network ONNX Runtime latency at several precisions in one run (FP32 vs INT8 vs FP16), with argmax agreement") { input, threads, runs, networks, precisions, calibration, provider, trtCache, json };
        command.SetNasAction(context, parse =>
        {
            InputSize size = CommonOptions.ParseSize(parse.GetValue(input)!, "--input");
            Precision[] list = [.. parse.GetValue(precisions)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(LutCommands.ParsePrecision)];
            OrtOptions ort = LutCommands.Ort(parse.GetValue(provider)!, parse.GetValue(threads), parse.GetValue(trtCache));
            string spec = parse.GetValue(networks)!;
            NetworkSpec[] nets = spec == "all"
                ? [.. ModelRegistry.All.Select(e => ModelRegistry.Build(e))]
                : [.. spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => ModelRegistry.Resolve(n))];
            var rows = context.WithProgress("bench", p => BenchmarkRunner.Precisions(nets, size, list, ort, parse.GetValue(runs), parse.GetValue(calibration), p));
            var table = new Table().AddColumns(["network", .. list.Select(p => $"{p} median (ms)"), .. list.Skip(1).Select(p => $"{p} / {list[0]}"), .. list.Skip(1).Select(p => $"{p} argmax agreement")]);
            foreach (var r in rows)
            {
                table.AddRow([r.Network, .. list.Select(p => F(r.Ms[p])), .. list.Skip(1).Select(p => F(r.Ms[p] / r.Ms[list[0]], "F3")), .. list.Skip(1).Select(p => r.Agreement[p].ToString("P2", CultureInfo.InvariantCulture))]);
            }

            context.Console.Write(table);
            context.Console.WriteLine($"ONNX Runtime {ort.Provider}, {ort.IntraOpThreads} threads, {size}, {parse.GetValue(runs)} runs x 2 repeats; {DeviceInfo.Describe()}");
            if (parse.GetValue(json) is string path)
            {
                Core.IO.NasJson.WriteFile(path, rows.Select(r => new { r.Network, Ms = r.Ms.ToDictionary(p => p.Key.ToString().ToLowerInvariant(), p => p.Value), Agreement = r.Agreement.ToDictionary(p => p.Key.ToString().ToLowerInvariant(), p => p.Value) }).ToArray());
            }

            return 0;
        });
        return command;
    }

    private static Command Search(CliContext context)
    {
        var input = CommonOptions.Input("256x512");
        var batch = new Option<int>("--batch") { Description = "images per step", DefaultValueFactory = _ => 4 };
        var steps = new Option<int>("--steps") { Description = "timed steps per mode", DefaultValueFactory = _ => 8 };
        var threads = CommonOptions.Threads();
        var command = new Command("search", "supernet training steps (Small space): soft vs single-path throughput and peak memory") { input, batch, steps, threads };
        command.SetNasAction(context, parse =>
        {
            InputSize size = CommonOptions.ParseSize(parse.GetValue(input)!, "--input");
            var rows = context.WithProgress("bench", p => BenchmarkRunner.SearchSteps(size, parse.GetValue(batch), parse.GetValue(steps), parse.GetValue(threads), p));
            var table = new Table().AddColumns("mode", "s / step (median)", "images / s", "peak memory rise (MiB)");
            foreach (var r in rows)
            {
                table.AddRow(r.Mode, F(r.SecondsPerStep, "F3"), F(r.ImagesPerSecond), F(r.PeakMiB, "F0"));
            }

            context.Console.Write(table);
            var soft = rows[^1];
            foreach (var r in rows.Take(rows.Count - 1))
            {
                context.Console.WriteLine($"{r.Mode}: {F(soft.SecondsPerStep / r.SecondsPerStep, "F1")}x faster per step, {F(soft.PeakMiB / r.PeakMiB, "F1")}x less peak memory than soft");
            }

            return 0;
        });
        return command;
    }

    private static Command Data(CliContext context)
    {
        var input = CommonOptions.Input("512x1024");
        var workers = new Option<int>("--workers") { Description = "loader workers", DefaultValueFactory = _ => 2 };
        var batches = new Option<int>("--batches") { Description = "batches to load", DefaultValueFactory = _ => 10 };
        var batch = new Option<int>("--batch") { Description = "images per batch", DefaultValueFactory = _ => 4 };
        var threads = CommonOptions.Threads();
        var command = new Command("data", "data-loading throughput vs training-step and evaluation throughput (does loading starve training?)") { input, workers, batches, batch, threads };
        command.SetNasAction(context, parse =>
        {
            InputSize size = CommonOptions.ParseSize(parse.GetValue(input)!, "--input");
            var rows = context.WithProgress("bench", p => BenchmarkRunner.Data(size, parse.GetValue(workers), parse.GetValue(batches), parse.GetValue(batch), parse.GetValue(threads), p));
            var table = new Table().AddColumns("workload", "images / s", "notes");
            foreach (var r in rows)
            {
                table.AddRow(Markup.Escape(r.What), F(r.ImagesPerSecond), r.Notes);
            }

            context.Console.Write(table);
            context.Console.WriteLine($"loading / training throughput = {F(rows[0].ImagesPerSecond / rows[1].ImagesPerSecond)} (above 1: loading keeps up)");
            return 0;
        });
        return command;
    }
}
