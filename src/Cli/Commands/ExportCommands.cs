using System.CommandLine;
using System.Globalization;
using Google.Protobuf;
using Nas.Core;
using Nas.Core.SearchSpaces;
using Nas.Deploy;
using Nas.Deploy.Calibration;
using Nas.Deploy.Verification;
using Nas.Onnx.Export;
using Nas.Onnx.Graphs;
using Nas.Onnx.Protos;
using Nas.Onnx.Runtime;
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
        var verify = new Option<bool>("--verify") { Description = "run the written file in ONNX Runtime and the network in TorchSharp on the same structured input and compare; with --int8/--fp16 the FP32 model is checked that way and the written file compared with it (on the calibration images)" };
        var int8 = new Option<bool>("--int8") { Description = "quantise to INT8 (QDQ: uint8 activations from calibration, int8 per-channel weights); needs --calibration-dataset/--calibration-root" };
        var fp16 = new Option<bool>("--fp16") { Description = "FP16 weights and compute for GPU runtimes (inputs and outputs stay float32)" };
        var threads = CommonOptions.Threads();
        var calibration = new CalibrationOptions();
        var onnx = new Command("onnx", "write ONNX (IR 8, opset 17) with BatchNorm folded into the convolutions; FP32, FP16 or INT8") { arch, checkpoint, input, argmax, output, verify, int8, fp16, threads };
        foreach (Option option in calibration.All)
        {
            onnx.Options.Add(option);
        }

        onnx.SetNasAction(context, (parse, token) =>
        {
            (int n, int h, int w) = ParseShape(parse.GetValue(input)!);
            if (parse.GetValue(int8) && parse.GetValue(fp16))
            {
                throw new NasException("choose one of --int8 and --fp16");
            }

            Precision target = parse.GetValue(int8) ? Precision.Int8 : parse.GetValue(fp16) ? Precision.Fp16 : Precision.Fp32;
            PrecisionOptions precision = calibration.Build(parse, target, parse.GetValue(threads));
            WeightedNetwork network = WeightedNetwork.Load(parse.GetValue(arch), parse.GetValue(checkpoint));
            network.Spec.CheckInputSize(h, w);
            ModelProto fp32 = LayerGraphExporter.Export(network.Spec.Graph, network.Weights, h, w, new OnnxExportOptions
            {
                Batch = n,
                Argmax = parse.GetValue(argmax),
                Metadata = Metadata(network, h, w, parse.GetValue(argmax)),
                DocString = $"{network.Spec.Architecture}; input normalised with {network.Spec.Input.Normalisation}",
            });
            ModelProto model = context.WithProgress("precision", p => PrecisionTransform.Apply(fp32, precision, p, token));
            string path = parse.GetValue(output)!;
            OnnxModelFile.Save(model, path);
            context.Console.WriteLine($"wrote {Path.GetFullPath(path)} ({new FileInfo(path).Length / 1024.0:F0} KiB, {model.Graph.Node.Count} nodes, {target.ToString().ToUpperInvariant()}) for {network.Spec.Name} at {n}x3x{h}x{w}");
            if (!parse.GetValue(verify))
            {
                return Task.FromResult(0);
            }

            int code = ExportVerification.Run(context, network, target == Precision.Fp32 ? File.ReadAllBytes(path) : fp32.ToByteArray(), target == Precision.Fp32 ? Path.GetFileName(path) : "the FP32 model", n, h, w);
            if (code != 0 || target == Precision.Fp32)
            {
                return Task.FromResult(code);
            }

            CalibrationSet inputs = PrecisionTransform.ComparisonInputs(fp32, precision);
            ComparisonReport c = context.WithProgress("compare", p => PrecisionComparison.Compare(fp32, model, inputs, new OrtOptions { IntraOpThreads = precision.Threads }, p, token));
            string name = target.ToString().ToUpperInvariant();
            string mark = c.ArgmaxAgreement >= (target == Precision.Int8 ? 0.95 : 0.99) ? "[green]ok[/]" : "[yellow]low agreement[/]";
            context.Console.MarkupLine(Markup.Escape($"verify {name}: max |{name} − FP32| = {c.MaxAbsDifference:E3} ({c.Relative:P2} of the output range {c.OutputRange:F3}; mean {c.MeanAbsDifference:E2}), argmax agreement {c.ArgmaxAgreement:P2} of {c.Pixels:N0} pixels on {c.Inputs} ") + mark);
            return Task.FromResult(0);
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

        (int n, int h, int w) = (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture), int.Parse(parts[3], CultureInfo.InvariantCulture));
        if (h > InputSize.MaxSide || w > InputSize.MaxSide)
        {
            throw new NasException($"--input '{text}': H and W must be at most {InputSize.MaxSide} pixels");
        }

        return (n, h, w);
    }
}
