using System.Globalization;
using Nas.Supernet;
using Nas.Supernet.Checkpoints;
using Nas.Supernet.Export;
using Nas.Supernet.Networks;
using Nas.Weights.Checkpoints;
using Spectre.Console;

namespace Nas.Cli.Commands;

/// <summary>
/// <c>nas export onnx --verify</c>: the written file against the same network run by TorchSharp. Kept apart from the
/// export command so that exporting without <c>--verify</c> never loads TorchSharp.
/// </summary>
internal static class ExportVerification
{
    public static int Run(CliContext context, WeightedNetwork source, byte[] file, string name, int n, int h, int w)
    {
        TorchRuntime.SetThreads(2);
        using var network = new NetworkModule(source.Spec, initialize: false);
        StateDictLoader.Load(network, source.Weights, source.Checkpoint ?? "fresh weights");
        OnnxVerification.Result r = OnnxVerification.Verify(network, file, n, h, w);
        if (r.LabelAgreement is double agreement)
        {
            // A label file can differ from TorchSharp's argmax only at near-ties of the logits (float rounding).
            bool good = agreement >= 0.999;
            long pixels = (long)n * h * w;
            long agreeing = (long)Math.Round(agreement * pixels);
            context.Console.MarkupLine(Markup.Escape($"verify {name}: labels of ONNX Runtime = TorchSharp's argmax at {agreeing.ToString("N0", CultureInfo.InvariantCulture)} of {pixels.ToString("N0", CultureInfo.InvariantCulture)} pixels ({agreement.ToString("P3", CultureInfo.InvariantCulture)}) ") + (good ? "[green]ok[/]" : "[red]MISMATCH[/]"));
            return good ? 0 : NasCli.ExitInternalError;
        }

        bool ok = r.Relative < 1e-4;
        context.Console.MarkupLine($"verify {Markup.Escape(name)}: max |ONNX Runtime − TorchSharp| = {r.MaxAbsDifference:E3} ({r.Relative:E2} of the output range {r.OutputRange:F3}) {(ok ? "[green]ok[/]" : "[red]MISMATCH[/]")}");
        return ok ? 0 : NasCli.ExitInternalError;
    }
}
