using Nas.Core;
using Nas.Supernet.Checkpoints;
using Nas.Supernet.Networks;
using Nas.Weights.Checkpoints;
using Nas.Weights.Import;

namespace Nas.Retrain.Initialization;

/// <summary>
/// Applies <c>--init</c>: a Nas checkpoint of the same architecture, or official PyTorch weights (<c>.pth</c>) named
/// through the network's graph. When the class count differs from the source, the class-score layers keep their fresh
/// initialisation (reported) and everything else is loaded strictly. A checkpoint of another architecture, or official
/// weights of the network's encoder stage, load as <see cref="SharedTensorTransfer"/> says (the two-stage recipe).
/// </summary>
public static class WeightInitializer
{
    /// <summary>Loads the weights into <paramref name="network"/> (or leaves it random for <c>none</c>) and returns what it did, for the log.</summary>
    public static IReadOnlyList<string> Apply(string init, NetworkModule network)
    {
        if (string.IsNullOrWhiteSpace(init) || init.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return ["weights: random initialisation (Kaiming normal)"];
        }

        if (!File.Exists(init))
        {
            throw new NasException(Directory.Exists(init)
                ? $"--init '{init}' is a folder; give a .ckpt or .pth file (or none)"
                : $"--init file not found: '{init}' (expected none, a Nas .ckpt or an official .pth)");
        }

        StateDictLoadReport report;
        if (init.EndsWith(".pth", StringComparison.OrdinalIgnoreCase) || init.EndsWith(".pt", StringComparison.OrdinalIgnoreCase))
        {
            PyTorchStateDict raw = PyTorchCheckpoint.Load(init);
            if (SharedTensorTransfer.FromEncoderStageFile(raw, network.Spec) is SharedTensorTransfer encoder)
            {
                return [Transfer(encoder, network, init)];
            }

            bool reinit = (OfficialWeights.ClassCount(raw, network.Spec) ?? network.Classes) != network.Classes;
            report = StateDictLoader.Load(network, OfficialWeights.Read(raw, network.Spec, skipClassifiers: reinit), init, strict: true,
                reinit ? network.ClassifierPrefixes : null);
        }
        else
        {
            CheckpointFile ckpt = CheckpointFile.Load(init);
            if (ckpt.Network() is var saved && !NasCheckpoint.SameArchitecture(saved, network.Spec))
            {
                return [Transfer(SharedTensorTransfer.Plan(network.Spec, saved, ckpt.ByName, init), network, init)];
            }

            bool reinit = ckpt.Metadata.Classes != network.Classes;
            report = ckpt.LoadInto(network, reinit ? network.ClassifierPrefixes : null);
        }

        var lines = new List<string> { $"weights: loaded {report.Loaded} tensors from {init}" };
        if (report.Skipped.Count > 0)
        {
            lines.Add($"classifier re-initialised for {network.Classes} classes: {string.Join(", ", report.Skipped.Where(k => k.EndsWith("weight", StringComparison.Ordinal)))}");
        }

        return lines;
    }

    /// <summary>Weights of the network's other stage (two-stage recipe): the shared tensors, the rest reported.</summary>
    private static string Transfer(SharedTensorTransfer plan, NetworkModule network, string init)
    {
        StateDictLoadReport report = StateDictLoader.Load(network, plan.Tensors, init, strict: false);
        return $"weights: loaded {report.Loaded} tensors that {network.Spec.Architecture} shares with {init}; freshly initialised: {Layers(plan.Fresh)}; not used: {Layers(plan.Unused)}";
    }

    /// <summary>Layer names shortened to their top-level modules (<c>bottleneck4_0</c>, <c>fullconv</c>).</summary>
    private static string Layers(IReadOnlyList<string> nodes) =>
        nodes.Count == 0 ? "none" : string.Join(", ", nodes.Select(n => n.Split('.')[0]).Distinct());
}
