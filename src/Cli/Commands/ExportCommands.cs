using System.CommandLine;
using System.Globalization;
using Nas.Core;
using Nas.Core.Genotypes;
using Nas.Deploy;
using Nas.Deploy.Calibration;
using Nas.Deploy.Verification;
using Nas.Onnx.Graphs;
using Nas.Onnx.Protos;
using Nas.Onnx.Runtime;
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
        var verify = new Option<bool>("--verify") { Description = "run the file in ONNX Runtime and the network in TorchSharp on the same random input and report the max difference; with --int8/--fp16 also compare with the FP32 model (on the calibration images)" };
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
            using SqueezeNasNetwork network = Load(parse.GetValue(arch), parse.GetValue(checkpoint));
            network.eval();
            ModelProto fp32 = OnnxExporter.Export(network, n, h, w, parse.GetValue(argmax));
            ModelProto model = context.WithProgress("precision", p => PrecisionTransform.Apply(fp32, precision, p, token));
            string path = parse.GetValue(output)!;
            OnnxModelFile.Save(model, path);
            context.Console.WriteLine($"wrote {Path.GetFullPath(path)} ({new FileInfo(path).Length / 1024.0:F0} KiB, {model.Graph.Node.Count} nodes, {target.ToString().ToUpperInvariant()}) for {network.Genotype.Name} at {n}x3x{h}x{w}");
            if (parse.GetValue(verify))
            {
                TorchRuntime.SetThreads(2);
                ModelProto logits = parse.GetValue(argmax) ? OnnxExporter.Export(network, n, h, w) : fp32;
                OnnxVerification.Result r = OnnxVerification.Verify(network, logits, n, h, w);
                string verdict = r.Relative < 1e-4 ? "[green]ok[/]" : "[red]MISMATCH[/]";
                context.Console.MarkupLine($"verify: max |ONNX Runtime − TorchSharp| = {r.MaxAbsDifference:E3} ({r.Relative:E2} of the output range {r.OutputRange:F3}) {verdict}");
                if (r.Relative >= 1e-4)
                {
                    return Task.FromResult(NasCli.ExitInternalError);
                }

                if (target != Precision.Fp32)
                {
                    CalibrationSet inputs = PrecisionTransform.ComparisonInputs(fp32, precision);
                    ComparisonReport c = context.WithProgress("compare", p => PrecisionComparison.Compare(fp32, model, inputs, new OrtOptions { IntraOpThreads = precision.Threads }, p, token));
                    string name = target.ToString().ToUpperInvariant();
                    string mark = c.ArgmaxAgreement >= (target == Precision.Int8 ? 0.95 : 0.99) ? "[green]ok[/]" : "[yellow]low agreement[/]";
                    context.Console.MarkupLine(Markup.Escape($"verify {name}: max |{name} − FP32| = {c.MaxAbsDifference:E3} ({c.Relative:P2} of the output range {c.OutputRange:F3}; mean {c.MeanAbsDifference:E2}), argmax agreement {c.ArgmaxAgreement:P2} of {c.Pixels:N0} pixels on {c.Inputs} ") + mark);
                }
            }

            return Task.FromResult(0);
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

        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture), int.Parse(parts[3], CultureInfo.InvariantCulture));
    }
}
