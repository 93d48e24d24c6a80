using Nas.Core;
using Nas.Core.Genotypes;

namespace Nas.Latency.Costs;

/// <summary>
/// Draws distinct random genotypes whose table cost lies within ±<c>tolerance</c> of a target: the random-search
/// baseline every NAS result must beat at equal cost. Each draw starts from a uniformly random genotype and
/// repairs it by random single-position changes, accepting a change when it moves the cost towards the target
/// (and occasionally when it does not, to keep the draws diverse), until the cost is inside the band.
/// </summary>
public sealed class RandomArchitectureSampler(ArchitectureCostModel costs, int seed)
{
    private readonly Random _random = new(seed);

    public IReadOnlyList<Genotype> Sample(double target, int count, double tolerance = 0.05, int maxAttempts = 0)
    {
        if (!(target > 0) || double.IsInfinity(target))
        {
            throw new NasException($"--target must be a positive cost in {costs.Unit} (got {target})");
        }

        if (count < 1)
        {
            throw new NasException($"--count must be >= 1 (got {count})");
        }

        (double min, double max) = costs.Range();
        if (target * (1 + tolerance) < min || target * (1 - tolerance) > max)
        {
            throw new NasException($"target {target:G4} {costs.Unit} is outside what the space can reach ({min:G4} .. {max:G4} {costs.Unit})");
        }

        var found = new List<Genotype>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int attempts = maxAttempts > 0 ? maxAttempts : count * 50;
        for (int attempt = 0; attempt < attempts && found.Count < count; attempt++)
        {
            Genotype? g = Draw(target, tolerance);
            if (g is not null && seen.Add(g.CanonicalString))
            {
                found.Add(g);
            }
        }

        if (found.Count < count)
        {
            throw new NasException($"found only {found.Count} distinct genotypes within ±{tolerance:P0} of {target:G4} {costs.Unit} after {attempts} attempts");
        }

        return found;
    }

    /// <summary>
    /// The network closest to <paramref name="target"/> among <paramref name="draws"/> repaired random draws, for spaces
    /// whose costs are too lumpy to have a network within any useful band of the target.
    /// </summary>
    public Genotype Nearest(double target, int draws = 200)
    {
        Genotype? best = null;
        double bestGap = double.MaxValue;
        for (int i = 0; i < draws; i++)
        {
            Genotype g = Genotype.FromIndices(costs.Space, Walk(target, 0).Ops);
            double gap = Math.Abs(costs.Cost(g) - target);
            if (gap < bestGap)
            {
                (best, bestGap) = (g, gap);
            }
        }

        return best!;
    }

    private Genotype? Draw(double target, double tolerance) =>
        Walk(target, tolerance) is (int[] ops, true) ? Genotype.FromIndices(costs.Space, ops) : null;

    /// <summary>One repaired random draw: its candidate indices, and whether they reached the band around the target.</summary>
    private (int[] Ops, bool InBand) Walk(double target, double tolerance)
    {
        int positions = costs.Space.PositionCount;
        int candidates = costs.Space.Candidates.Count;
        int[] ops = Enumerable.Range(0, positions).Select(_ => _random.Next(candidates)).ToArray();
        double cost = CostOf(ops);
        for (int step = 0; step < positions * candidates * 20; step++)
        {
            if (Math.Abs(cost - target) <= tolerance * target)
            {
                return (ops, true);
            }

            int p = _random.Next(positions);
            int k = _random.Next(candidates);
            double next = cost - costs.BlockCosts[p, ops[p]] + costs.BlockCosts[p, k];
            if (Math.Abs(next - target) < Math.Abs(cost - target) || _random.NextDouble() < 0.05)
            {
                ops[p] = k;
                cost = next;
            }
        }

        return (ops, false);
    }

    private double CostOf(int[] ops)
    {
        double total = costs.FixedCost;
        for (int p = 0; p < ops.Length; p++)
        {
            total += costs.BlockCosts[p, ops[p]];
        }

        return total;
    }
}
