using Microsoft.Extensions.Logging;
using Nas.Core;
using Nas.Supernet.Checkpoints;
using Nas.Supernet.Networks;

namespace Nas.Retrain.Initialization;

/// <summary>
/// Applies <c>--init</c>: a Nas checkpoint of the same genotype, or official SqueezeNAS PyTorch weights. When the
/// class count differs from the source, the class-score layers keep their fresh initialisation (reported) and
/// everything else is loaded strictly.
/// </summary>
public static class WeightInitializer
{
    public static void Apply(string init, SqueezeNasNetwork network, ILogger logger)
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
            bool reinit = network.Classes != Core.Genotypes.PublishedNetworks.CityscapesClasses;
            report = OfficialWeights.Load(init, network, skipClassifiers: reinit);
        }
        else
        {
            using NasCheckpoint ckpt = NasCheckpoint.Load(init);
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
