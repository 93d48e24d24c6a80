using Nas.Core;
using Nas.Core.Genotypes;
using Nas.Core.SearchSpaces;
using static TorchSharp.torch;

namespace Nas.Latency.Costs;

/// <summary>
/// The resource cost the search minimises: a cost per (position, candidate) and the fixed cost of the stem, last
/// conv and head, in the unit the loss uses — GMAC for MAC tables, milliseconds for latency tables — so that λ, α,
/// β and targets have a known scale.
/// </summary>
public sealed class ArchitectureCostModel
{
    public ArchitectureCostModel(SearchSpace space, InputSize input, double[,] blockCosts, double fixedCost, string unit, string source)
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
        Unit = unit;
        Source = source;
    }

    public SearchSpace Space { get; }

    public InputSize Input { get; }

    /// <summary>Cost of candidate k at position p, in <see cref="Unit"/>.</summary>
    public double[,] BlockCosts { get; }

    public double FixedCost { get; }

    /// <summary><c>GMAC</c> or <c>ms</c>.</summary>
    public string Unit { get; }

    public string Source { get; }

    /// <summary>The analytic MAC cost (GMAC) of a space at an input size.</summary>
    public static ArchitectureCostModel FromMacs(SearchSpace space, InputSize input, int classes)
    {
        (double[,] macs, double fixedMacs) = Tables.MacTableBuilder.Build(space, input, classes).CostMatrix(space);
        var costs = new double[space.PositionCount, space.Candidates.Count];
        for (int p = 0; p < space.PositionCount; p++)
        {
            for (int k = 0; k < space.Candidates.Count; k++)
            {
                costs[p, k] = macs[p, k] / 1e9;
            }
        }

        return new ArchitectureCostModel(space, input, costs, fixedMacs / 1e9, "GMAC", $"analytic MACs at {input}");
    }

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
