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
/// initialisation (reported) and everything else is loaded strictly.
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
            bool reinit = (OfficialWeights.ClassCount(raw, network.Spec) ?? network.Classes) != network.Classes;
            report = StateDictLoader.Load(network, OfficialWeights.Read(raw, network.Spec, skipClassifiers: reinit), init, strict: true,
                reinit ? network.ClassifierPrefixes : null);
        }
        else
        {
            CheckpointFile ckpt = CheckpointFile.Load(init);
            bool reinit = ckpt.Metadata.Classes != network.Classes;
            report = ckpt.LoadInto(network, reinit ? network.ClassifierPrefixes : null);
        }

        logger.LogInformation("weights: loaded {Loaded} tensors from {Init}", report.Loaded, init);
        if (report.Skipped.Count > 0)
        {
            logger.LogInformation("classifier re-initialised for {Classes} classes: {Layers}", network.Classes, string.Join(", ", report.Skipped.Where(k => k.EndsWith("weight", StringComparison.Ordinal))));
        }
    }
}
