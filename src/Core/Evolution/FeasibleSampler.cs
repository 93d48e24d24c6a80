namespace Nas.Core.Evolution;

/// <summary>
/// Draws genotypes that satisfy every constraint. A draw starts from a uniformly random genotype and repairs it:
/// a random position is moved to a random candidate among those that reduce the constraint violation, until the
/// genotype is feasible; a draw that gets stuck (possible with several constraints) starts over. Children of the
/// evolution are checked the same way and redrawn until feasible, so nothing infeasible is ever evaluated.
/// </summary>
public sealed class FeasibleSampler(ConstraintSet constraints)
{
    /// <summary>Attempts per genotype before giving up (each attempt is a fresh random start and its repair).</summary>
    public const int MaxRestarts = 200;

    public ConstraintSet Constraints { get; } = constraints;

    /// <summary>A feasible random genotype, or null when none was found in <see cref="MaxRestarts"/> attempts.</summary>
    public int[]? TryRandom(Random rng)
    {
        for (int attempt = 0; attempt < MaxRestarts; attempt++)
        {
            int[] ops = GenotypeOperators.Random(rng, Constraints.Positions, Constraints.Candidates);
            if (Repair(rng, ops))
            {
                return ops;
            }
        }

        return null;
    }

    /// <summary>Like <see cref="TryRandom"/> but throws a one-line error when the constraints cannot be met together.</summary>
    public int[] Random(Random rng) =>
        TryRandom(rng) ?? throw new NasException(
            $"no network of the space meets all {Constraints.Constraints.Count} limits together ({string.Join(", ", Constraints.Constraints.Select(c => $"{c.Name} <= {c.Limit:G6} {c.Unit}"))}) after {MaxRestarts} attempts; relax a limit");

    /// <summary>Repairs <paramref name="ops"/> in place; true when it ends feasible.</summary>
    public bool Repair(Random rng, int[] ops)
    {
        double violation = Constraints.Violation(ops);
        int stalls = 0;
        int maxStalls = 4 * Constraints.Positions;
        var better = new List<int>(Constraints.Candidates);
        while (violation > 0)
        {
            int p = rng.Next(Constraints.Positions);
            int current = ops[p];
            better.Clear();
            for (int k = 0; k < Constraints.Candidates; k++)
            {
                if (k == current)
                {
                    continue;
                }

                ops[p] = k;
                if (Constraints.Violation(ops) < violation)
                {
                    better.Add(k);
                }
            }

            if (better.Count == 0)
            {
                ops[p] = current;
                if (++stalls > maxStalls)
                {
                    return false;
                }

                continue;
            }

            stalls = 0;
            ops[p] = better[rng.Next(better.Count)];
            violation = Constraints.Violation(ops);
        }

        return true;
    }
}
