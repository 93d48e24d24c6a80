using System.CommandLine;
using System.Globalization;
using Nas.Core;
using Nas.Core.Genotypes;
using Nas.Core.SearchSpaces;
using Nas.Onnx.Graphs;
using Nas.Onnx.Protos;
using Nas.Supernet;
using Nas.Supernet.Checkpoints;
using Nas.Supernet.Export;
using Nas.Supernet.Networks;
using Spectre.Console;

namespace Nas.Cli.Commands;

/// <summary><c>nas export onnx</c>.</summary>
internal static class ExportCommands
{
    public static Command Create(CliContext context)
    {
        var export = new Command("export", "export networks to deployment formats");
        var arch = new Argument<string>("arch") { Description = "published network name, genotype JSON file or genotype text (ignored with --checkpoint's own genotype unless given)", Arity = ArgumentArity.ZeroOrOne };
        var checkpoint = new Option<string>("--checkpoint") { Description = "Nas checkpoint with the weights (default: freshly initialised weights)" };
        var input = new Option<string>("--input") { Description = "input shape NxCxHxW (C = 3), e.g. 1x3x1024x2048", DefaultValueFactory = _ => "1x3x1024x2048" };
        var argmax = new Option<bool>("--argmax") { Description = "end with ArgMax: output 'labels' (N×H×W int64) instead of 'logits'" };
        var output = CommonOptions.OutputFile("the .onnx file to write");
        var verify = new Option<bool>("--verify") { Description = "run the file in ONNX Runtime and the network in TorchSharp on the same random input and report the max difference" };
        var onnx = new Command("onnx", "write ONNX (IR 8, opset 17) with BatchNorm folded into the convolutions") { arch, checkpoint, input, argmax, output, verify };
        onnx.SetNasAction(context, parse =>
        {
            (int n, int h, int w) = ParseShape(parse.GetValue(input)!);
            using SqueezeNasNetwork network = Load(parse.GetValue(arch), parse.GetValue(checkpoint));
            network.eval();
            ModelProto model = OnnxExporter.Export(network, n, h, w, parse.GetValue(argmax));
            string path = parse.GetValue(output)!;
            OnnxModelFile.Save(model, path);
            context.Console.WriteLine($"wrote {Path.GetFullPath(path)} ({new FileInfo(path).Length / 1024.0:F0} KiB, {model.Graph.Node.Count} nodes) for {network.Genotype.Name} at {n}x3x{h}x{w}");
            if (parse.GetValue(verify))
            {
                // Verify the file as written (read back from disk), whatever its output: logits, or labels vs TorchSharp's argmax.
                TorchRuntime.SetThreads(2);
                OnnxVerification.FileResult r = OnnxVerification.VerifyFile(network, path, n, h, w);
                string verdict = r.Ok ? "[green]ok[/]" : "[red]MISMATCH[/]";
                if (r.Labels)
                {
                    string ties = r.NearTies > 0 ? $", {r.NearTies} more at near-ties (logits within {OnnxVerification.FileResult.TieTolerance:G1} of the range)" : string.Empty;
                    context.Console.MarkupLine($"verify {Markup.Escape(Path.GetFileName(path))}: labels of ONNX Runtime = TorchSharp's argmax at {r.Agreeing.ToString("N0", CultureInfo.InvariantCulture)} of {r.Pixels.ToString("N0", CultureInfo.InvariantCulture)} pixels{ties} {verdict}");
                }
                else
                {
                    context.Console.MarkupLine($"verify {Markup.Escape(Path.GetFileName(path))}: max |ONNX Runtime − TorchSharp| = {r.MaxAbsDifference:E3} ({r.Relative:E2} of the output range {r.OutputRange:F3}) {verdict}");
                }

                if (!r.Ok)
                {
                    return NasCli.ExitInternalError;
                }
            }

            return 0;
        });
        export.Subcommands.Add(onnx);
        return export;
    }

    internal static SqueezeNasNetwork Load(string? arch, string? checkpoint)
    {
        if (checkpoint is not null)
        {
            using NasCheckpoint ckpt = NasCheckpoint.Load(checkpoint);
            if (arch is not null && !PublishedNetworks.Resolve(arch, ckpt.Metadata.Classes).Genotype.Equals(ckpt.Genotype().Genotype))
            {
                throw new NasException($"{checkpoint}: holds '{ckpt.Genotype().Genotype.CanonicalString}', not the requested '{arch}'");
            }

            return ckpt.CreateNetwork();
        }

        if (arch is null)
        {
            throw new NasException("give an architecture (name, genotype JSON or text) or --checkpoint");
        }

        return new SqueezeNasNetwork(PublishedNetworks.Resolve(arch));
    }

    private static (int N, int H, int W) ParseShape(string text)
    {
        string[] parts = text.ToLowerInvariant().Split('x');
        if (parts.Length != 4 || !parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0) || parts[1] != "3")
        {
            throw new NasException($"--input '{text}' is not NxCxHxW with C = 3 (e.g. 1x3x1024x2048)");
        }

        (int n, int h, int w) = (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture), int.Parse(parts[3], CultureInfo.InvariantCulture));
        if (h > InputSize.MaxSide || w > InputSize.MaxSide)
        {
            throw new NasException($"--input '{text}': H and W must be at most {InputSize.MaxSide} pixels");
        }

        return (n, h, w);
    }
}
