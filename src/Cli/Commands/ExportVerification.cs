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
    public static int Run(CliContext context, WeightedNetwork source, byte[] file, int n, int h, int w)
    {
        TorchRuntime.SetThreads(2);
        using var network = new NetworkModule(source.Spec, initialize: false);
        StateDictLoader.Load(network, source.Weights, source.Checkpoint ?? "fresh weights");
        OnnxVerification.Result r = OnnxVerification.Verify(network, file, n, h, w);
        if (r.LabelAgreement is double agreement)
        {
            bool good = agreement >= 0.999;
            context.Console.MarkupLine($"verify: labels of the written file agree with TorchSharp's argmax on {agreement:P3} of the pixels {(good ? "[green]ok[/]" : "[red]MISMATCH[/]")}");
            return good ? 0 : NasCli.ExitInternalError;
        }

        bool ok = r.Relative < 1e-4;
        context.Console.MarkupLine($"verify: max |ONNX Runtime − TorchSharp| = {r.MaxAbsDifference:E3} ({r.Relative:E2} of the output range {r.OutputRange:F3}) {(ok ? "[green]ok[/]" : "[red]MISMATCH[/]")}");
        return ok ? 0 : NasCli.ExitInternalError;
    }
}
