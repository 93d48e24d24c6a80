using System.Globalization;

namespace Nas.Core.Evolution;

/// <summary>
/// One hard limit on an additive cost: a cost per (position, candidate) and a fixed cost (stem, last conv, head, run
/// overhead, calibration intercept), in a table's own unit (ms or MACs). The cost of a genotype is summed in the
/// same order as a lookup table's prediction (fixed first, then positions in order), so "allowed" here means exactly
/// "the table's prediction does not exceed the limit".
/// </summary>
public sealed class CostConstraint
{
    public CostConstraint(string name, string unit, double[,] blockCosts, double fixedCost, double limit)
    {
        if (blockCosts.GetLength(0) < 1 || blockCosts.GetLength(1) < 1)
        {
            throw new NasException($"{name}: the cost table is empty");
        }

        foreach (double c in blockCosts)
        {
            if (!double.IsFinite(c))
            {
                throw new NasException($"{name}: costs must be finite (found {c.ToString(CultureInfo.InvariantCulture)})");
            }
        }

        if (!double.IsFinite(fixedCost) || !double.IsFinite(limit))
        {
            throw new NasException($"{name}: the fixed cost and the limit must be finite (got {fixedCost.ToString(CultureInfo.InvariantCulture)}, {limit.ToString(CultureInfo.InvariantCulture)})");
        }

        Name = name;
        Unit = unit;
        BlockCosts = (double[,])blockCosts.Clone();
        FixedCost = fixedCost;
        Limit = limit;
    }

    /// <summary>What the constraint is called in messages and outputs (usually the table's file name).</summary>
    public string Name { get; }

    /// <summary>The table's unit, e.g. <c>ms</c> or <c>macs</c>.</summary>
    public string Unit { get; }

    public double[,] BlockCosts { get; }

    public double FixedCost { get; }

    /// <summary>The largest allowed cost (inclusive).</summary>
    public double Limit { get; }

    public int Positions => BlockCosts.GetLength(0);

    public int Candidates => BlockCosts.GetLength(1);

    /// <summary>Fixed cost plus the chosen candidate's cost at every position, summed in position order.</summary>
    public double Cost(IReadOnlyList<int> ops)
    {
        double total = FixedCost;
        for (int p = 0; p < ops.Count; p++)
        {
            total += BlockCosts[p, ops[p]];
        }

        return total;
    }

    public bool Allows(IReadOnlyList<int> ops) => Cost(ops) <= Limit;

    /// <summary>The cheapest genotype (the cheapest candidate at every position, first one on ties) and its cost.</summary>
    public (int[] Ops, double Cost) Cheapest() => Extreme(cheapest: true);

    /// <summary>The most expensive genotype and its cost.</summary>
    public (int[] Ops, double Cost) Priciest() => Extreme(cheapest: false);

    private (int[] Ops, double Cost) Extreme(bool cheapest)
    {
        var ops = new int[Positions];
        for (int p = 0; p < Positions; p++)
        {
            int best = 0;
            for (int k = 1; k < Candidates; k++)
            {
                if (cheapest ? BlockCosts[p, k] < BlockCosts[p, best] : BlockCosts[p, k] > BlockCosts[p, best])
                {
                    best = k;
                }
            }

            ops[p] = best;
        }

        return (ops, Cost(ops));
    }
}
