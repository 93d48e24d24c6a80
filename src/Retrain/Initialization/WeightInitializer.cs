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
        foreach (string line in Apply(init, network))
        {
            logger.LogInformation("{Line}", line);
        }
    }

    /// <summary>Loads the weights into <paramref name="network"/> (or leaves it random for <c>none</c>) and returns what it did, for the log.</summary>
    public static IReadOnlyList<string> Apply(string init, SqueezeNasNetwork network)
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
            bool reinit = network.Classes != Core.Genotypes.PublishedNetworks.CityscapesClasses;
            report = OfficialWeights.Load(init, network, skipClassifiers: reinit);
        }
        else
        {
            using NasCheckpoint ckpt = NasCheckpoint.Load(init);
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
}
