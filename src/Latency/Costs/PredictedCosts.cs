using Nas.Core.Costs;
using Nas.Core.Genotypes;
using Nas.Core.Graphs;
using Nas.Core.SearchSpaces;
using Nas.Models.SqueezeNas;

namespace Nas.Latency.Costs;

/// <summary>
/// The <c>predicted</c> block of a genotype file: every analytic metric of the network's graph under its key (plus
/// <c>gmacs</c>, the headline figure), and the prediction of each measured-metric table (e.g. <c>latency_ms</c>).
/// </summary>
public static class PredictedCosts
{
    public static Dictionary<string, double> Analytic(Genotype genotype, int classes, InputSize input)
    {
        GraphShapes shapes = SqueezeNasGraphs.Network(new NamedGenotype("candidate", genotype, classes)).InferShapes(input.Height, input.Width);
        var predicted = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (CostMetric metric in CostMetrics.All.Where(m => m.IsAnalytic))
        {
            predicted[metric.PredictedKey] = metric.Analytic(shapes)!.Value;
        }

        predicted["gmacs"] = predicted[CostMetrics.Macs.PredictedKey] / 1e9;
        return predicted;
    }

    /// <summary>The analytic metrics, plus the cost model's prediction in its table unit when its metric is measured.</summary>
    public static Dictionary<string, double> For(Genotype genotype, int classes, ArchitectureCostModel costs)
    {
        Dictionary<string, double> predicted = Analytic(genotype, classes, costs.Input);
        if (!costs.Metric.IsAnalytic)
        {
            predicted[costs.Metric.PredictedKey] = costs.TableCost(genotype);
        }

        return predicted;
    }
}
