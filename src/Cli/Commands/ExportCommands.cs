using System.CommandLine;
using System.Globalization;
using Google.Protobuf;
using Nas.Core;
using Nas.Onnx.Export;
using Nas.Onnx.Graphs;
using Nas.Onnx.Protos;
using Nas.Weights.Checkpoints;
using Spectre.Console;

namespace Nas.Cli.Commands;

/// <summary>
/// <c>nas export onnx</c>: writes the network's layer graph with its weights as ONNX without loading TorchSharp (only
/// <c>--verify</c> runs TorchSharp, in <see cref="ExportVerification"/>).
/// </summary>
internal static class ExportCommands
{
    public static Command Create(CliContext context)
    {
        var export = new Command("export", "export networks to deployment formats");
        var arch = new Argument<string>("arch") { Description = "registered network name, genotype JSON file, genotype text or layer-graph JSON (optional with --checkpoint)", Arity = ArgumentArity.ZeroOrOne };
        var checkpoint = new Option<string>("--checkpoint") { Description = "Nas checkpoint with the weights (default: freshly initialised weights)" };
        var input = new Option<string>("--input") { Description = "input shape NxCxHxW (C = 3), e.g. 1x3x1024x2048", DefaultValueFactory = _ => "1x3x1024x2048" };
        var argmax = new Option<bool>("--argmax") { Description = "end with ArgMax: output 'labels' (N×H×W int64) instead of 'logits'" };
        var output = CommonOptions.OutputFile("the .onnx file to write");
        var verify = new Option<bool>("--verify") { Description = "run the written file in ONNX Runtime and the network in TorchSharp on the same structured input and compare" };
        var onnx = new Command("onnx", "write ONNX (IR 8, opset 17) with BatchNorm folded into the convolutions") { arch, checkpoint, input, argmax, output, verify };
        onnx.SetNasAction(context, parse =>
        {
            (int n, int h, int w) = ParseShape(parse.GetValue(input)!);
            WeightedNetwork network = WeightedNetwork.Load(parse.GetValue(arch), parse.GetValue(checkpoint));
            ModelProto model = LayerGraphExporter.Export(network.Spec.Graph, network.Weights, h, w, new OnnxExportOptions
            {
                Batch = n,
                Argmax = parse.GetValue(argmax),
                Metadata = Metadata(network, h, w, parse.GetValue(argmax)),
                DocString = $"{network.Spec.Architecture}; input normalised with {network.Spec.Input.Normalisation}",
            });
            string path = parse.GetValue(output)!;
            OnnxModelFile.Save(model, path);
            context.Console.WriteLine($"wrote {Path.GetFullPath(path)} ({new FileInfo(path).Length / 1024.0:F0} KiB, {model.Graph.Node.Count} nodes) for {network.Spec.Name} at {n}x3x{h}x{w}");
            return parse.GetValue(verify) ? ExportVerification.Run(context, network, File.ReadAllBytes(path), n, h, w) : 0;
        });
        export.Subcommands.Add(onnx);
        return export;
    }

    private static Dictionary<string, string> Metadata(WeightedNetwork network, int height, int width, bool argmax) => new()
    {
        ["network"] = network.Spec.Name,
        ["architecture"] = network.Spec.Architecture.ToString(),
        ["genotype"] = network.Spec.Genotype?.Genotype.CanonicalString ?? string.Empty,
        ["classes"] = network.Spec.Classes.ToString(CultureInfo.InvariantCulture),
        ["input"] = $"{height}x{width}",
        ["output"] = argmax ? "labels" : "logits",
        ["normalization"] = network.Spec.Input.Normalisation,
        ["weights"] = network.Checkpoint is null ? "freshly initialised" : Path.GetFileName(network.Checkpoint),
    };

    private static (int N, int H, int W) ParseShape(string text)
    {
        string[] parts = text.ToLowerInvariant().Split('x');
        if (parts.Length != 4 || !parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0) || parts[1] != "3")
        {
            throw new NasException($"--input '{text}' is not NxCxHxW with C = 3 (e.g. 1x3x1024x2048)");
        }

        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture), int.Parse(parts[3], CultureInfo.InvariantCulture));
    }
}
