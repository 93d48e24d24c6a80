using System.Globalization;

namespace Nas.Core.Evolution;

/// <summary>
/// All hard limits of a search (e.g. a latency table and a MAC table, each with its maximum). A genotype is feasible
/// when every constraint allows it; <see cref="Violation"/> measures how far an infeasible one is from the limits
/// (the sum of relative excesses), which the repair step of <see cref="FeasibleSampler"/> drives to zero.
/// </summary>
public sealed class ConstraintSet
{
    public ConstraintSet(IReadOnlyList<CostConstraint> constraints, int positions, int candidates)
    {
        foreach (CostConstraint c in constraints)
        {
            if (c.Positions != positions || c.Candidates != candidates)
            {
                throw new NasException($"{c.Name}: the cost table is {c.Positions}x{c.Candidates}, the space needs {positions}x{candidates}");
            }
        }

        Constraints = constraints.ToArray();
        Positions = positions;
        Candidates = candidates;
    }

    public IReadOnlyList<CostConstraint> Constraints { get; }

    public int Positions { get; }

    public int Candidates { get; }

    public bool Feasible(IReadOnlyList<int> ops)
    {
        foreach (CostConstraint c in Constraints)
        {
            if (!c.Allows(ops))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Σ over constraints of max(0, cost − limit) / |limit| (0 exactly when feasible).</summary>
    public double Violation(IReadOnlyList<int> ops)
    {
        double total = 0;
        foreach (CostConstraint c in Constraints)
        {
            double cost = c.Cost(ops);
            if (cost > c.Limit)
            {
                total += (cost - c.Limit) / Math.Max(Math.Abs(c.Limit), 1e-12);
            }
        }

        return total;
    }

    /// <summary>The costs of <paramref name="ops"/> under every constraint, in order.</summary>
    public double[] Costs(IReadOnlyList<int> ops) => Constraints.Select(c => c.Cost(ops)).ToArray();

    /// <summary>
    /// Refuses limits no network of the space can meet, naming the table, the limit and the cheapest network's cost.
    /// </summary>
    public void Validate()
    {
        foreach (CostConstraint c in Constraints)
        {
            (_, double cheapest) = c.Cheapest();
            if (c.Limit < cheapest)
            {
                throw new NasException(string.Create(CultureInfo.InvariantCulture,
                    $"--max-cost {c.Limit:G6} {c.Unit} for {c.Name} is below the cheapest network of the space ({cheapest:G6} {c.Unit})"));
            }
        }
    }
}
