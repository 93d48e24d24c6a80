using Nas.Core;
using Nas.Core.Costs;
using Nas.Core.Genotypes;
using Nas.Core.SearchSpaces;
using static TorchSharp.torch;

namespace Nas.Latency.Costs;

/// <summary>
/// The resource cost the search minimises: a cost per (position, candidate) and the fixed cost of the stem, last
/// conv and head of one <see cref="CostMetric"/>, by default in the unit the loss uses (the metric's
/// <see cref="CostMetric.SearchUnit"/>: GMAC for MACs, milliseconds for latency) so that λ, α, β and targets have a
/// known scale; the one-shot tools keep the table's own unit (<c>inSearchUnits: false</c>).
/// </summary>
public sealed class ArchitectureCostModel
{
    public ArchitectureCostModel(SearchSpace space, InputSize input, double[,] blockCosts, double fixedCost, CostMetric metric, string source, bool inSearchUnits = true)
    {
        if (blockCosts.GetLength(0) != space.PositionCount || blockCosts.GetLength(1) != space.Candidates.Count)
        {
            throw new NasException($"{source}: cost table is {blockCosts.GetLength(0)}x{blockCosts.GetLength(1)}, the space needs {space.PositionCount}x{space.Candidates.Count}");
        }

        foreach (double c in blockCosts)
        {
            if (!(c >= 0) || double.IsInfinity(c))
            {
                throw new NasException($"{source}: costs must be finite and non-negative (found {c})");
            }
        }

        Space = space;
        Input = input;
        BlockCosts = blockCosts;
        FixedCost = fixedCost;
        Metric = metric;
        InSearchUnits = inSearchUnits;
        Source = source;
    }

    public SearchSpace Space { get; }

    public InputSize Input { get; }

    /// <summary>Cost of candidate k at position p, in <see cref="Unit"/>.</summary>
    public double[,] BlockCosts { get; }

    public double FixedCost { get; }

    public CostMetric Metric { get; }

    /// <summary>Whether costs are in the metric's search unit (scaled from the table's unit by <see cref="CostMetric.SearchScale"/>).</summary>
    public bool InSearchUnits { get; }

    /// <summary>The unit of every cost here: the metric's search unit (<c>GMAC</c>, <c>ms</c>) or its table unit (<c>macs</c>, <c>ms</c>).</summary>
    public string Unit => InSearchUnits ? Metric.SearchUnit : Metric.TableUnit;

    public string Source { get; }

    /// <summary>The analytic MAC cost (GMAC) of a space at an input size.</summary>
    public static ArchitectureCostModel FromMacs(SearchSpace space, InputSize input, int classes) => Analytic(CostMetrics.Macs, space, input, classes);

    /// <summary>An analytic metric (MACs, FLOPs) of a space at an input size, in the metric's search unit.</summary>
    public static ArchitectureCostModel Analytic(CostMetric metric, SearchSpace space, InputSize input, int classes) =>
        FromTable(Tables.AnalyticTableBuilder.Build(metric, space, input, classes), space, input, $"analytic {metric.Name} at {input}");

    /// <summary>A table's costs in its metric's search unit.</summary>
    public static ArchitectureCostModel FromTable(Tables.LookupTable table, SearchSpace space, InputSize input, string source)
    {
        CostMetric metric = table.Metric;
        (double[,] blocks, double fixedCost) = table.CostMatrix(space);
        for (int p = 0; p < blocks.GetLength(0); p++)
        {
            for (int k = 0; k < blocks.GetLength(1); k++)
            {
                blocks[p, k] *= metric.SearchScale;
            }
        }

        return new ArchitectureCostModel(space, input, blocks, fixedCost * metric.SearchScale, metric, source);
    }

    /// <summary>A genotype's cost in the table's own unit (ms, MACs), as genotype files record it.</summary>
    public double TableCost(Genotype genotype) => InSearchUnits ? Cost(genotype) / Metric.SearchScale : Cost(genotype);

    /// <summary>Table cost of a genotype: Σ of its blocks' costs plus the fixed parts.</summary>
    public double Cost(Genotype genotype)
    {
        double total = FixedCost;
        for (int p = 0; p < genotype.Ops.Count; p++)
        {
            total += BlockCosts[p, Space.IndexOf(genotype.Ops[p])];
        }

        return total;
    }

    /// <summary>Cheapest and most expensive genotype costs.</summary>
    public (double Min, double Max) Range()
    {
        double min = FixedCost, max = FixedCost;
        for (int p = 0; p < Space.PositionCount; p++)
        {
            double lo = double.MaxValue, hi = double.MinValue;
            for (int k = 0; k < Space.Candidates.Count; k++)
            {
                lo = Math.Min(lo, BlockCosts[p, k]);
                hi = Math.Max(hi, BlockCosts[p, k]);
            }

            min += lo;
            max += hi;
        }

        return (min, max);
    }

    /// <summary>The block costs as a P×K tensor.</summary>
    public Tensor ToTensor(Device? device = null)
    {
        var flat = new float[Space.PositionCount * Space.Candidates.Count];
        for (int p = 0; p < Space.PositionCount; p++)
        {
            for (int k = 0; k < Space.Candidates.Count; k++)
            {
                flat[(p * Space.Candidates.Count) + k] = (float)BlockCosts[p, k];
            }
        }

        return tensor(flat, [Space.PositionCount, Space.Candidates.Count], device: device);
    }
}
