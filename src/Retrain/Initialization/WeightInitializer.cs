using Microsoft.Extensions.Logging;
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
    public static void Apply(string init, NetworkModule network, ILogger logger)
    {
        if (string.IsNullOrWhiteSpace(init) || init.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            logger.LogInformation("weights: random initialisation (Kaiming normal)");
            return;
        }

        if (!File.Exists(init))
        {
            throw new NasException($"--init file not found: '{init}'");
        }

        StateDictLoadReport report;
        if (init.EndsWith(".pth", StringComparison.OrdinalIgnoreCase) || init.EndsWith(".pt", StringComparison.OrdinalIgnoreCase))
        {
            PyTorchStateDict raw = PyTorchCheckpoint.Load(init);
            if (SharedTensorTransfer.FromEncoderStageFile(raw, network.Spec) is SharedTensorTransfer encoder)
            {
                Transfer(encoder, network, init, logger);
                return;
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
                Transfer(SharedTensorTransfer.Plan(network.Spec, saved, ckpt.ByName, init), network, init, logger);
                return;
            }

            bool reinit = ckpt.Metadata.Classes != network.Classes;
            report = ckpt.LoadInto(network, reinit ? network.ClassifierPrefixes : null);
        }

        logger.LogInformation("weights: loaded {Loaded} tensors from {Init}", report.Loaded, init);
        if (report.Skipped.Count > 0)
        {
            logger.LogInformation("classifier re-initialised for {Classes} classes: {Layers}", network.Classes, string.Join(", ", report.Skipped.Where(k => k.EndsWith("weight", StringComparison.Ordinal))));
        }
    }

    /// <summary>Weights of the network's other stage (two-stage recipe): the shared tensors, the rest reported.</summary>
    private static void Transfer(SharedTensorTransfer plan, NetworkModule network, string init, ILogger logger)
    {
        StateDictLoadReport report = StateDictLoader.Load(network, plan.Tensors, init, strict: false);
        logger.LogInformation("weights: loaded {Loaded} tensors that {Network} shares with {Init}; freshly initialised: {Fresh}; not used: {Unused}",
            report.Loaded, network.Spec.Architecture, init, Layers(plan.Fresh), Layers(plan.Unused));
    }

    /// <summary>Layer names shortened to their top-level modules (<c>bottleneck4_0</c>, <c>fullconv</c>).</summary>
    private static string Layers(IReadOnlyList<string> nodes) =>
        nodes.Count == 0 ? "none" : string.Join(", ", nodes.Select(n => n.Split('.')[0]).Distinct());
}
