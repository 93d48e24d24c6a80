namespace Nas.Core.Evolution;

/// <summary>
/// Variation operators on genotypes written as candidate indices (one per position): uniform random genotypes,
/// per-position mutation and uniform crossover.
/// </summary>
public static class GenotypeOperators
{
    public static int[] Random(Random rng, int positions, int candidates)
    {
        var ops = new int[positions];
        for (int p = 0; p < positions; p++)
        {
            ops[p] = rng.Next(candidates);
        }

        return ops;
    }

    /// <summary>Each position independently, with probability <paramref name="probability"/>, takes a different candidate drawn uniformly.</summary>
    public static int[] Mutate(Random rng, IReadOnlyList<int> parent, double probability, int candidates)
    {
        int[] child = parent.ToArray();
        for (int p = 0; p < child.Length; p++)
        {
            if (candidates > 1 && rng.NextDouble() < probability)
            {
                int k = rng.Next(candidates - 1);
                child[p] = k >= child[p] ? k + 1 : k;
            }
        }

        return child;
    }

    /// <summary>Uniform crossover: each position comes from either parent with probability 1/2.</summary>
    public static int[] Crossover(Random rng, IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        if (a.Count != b.Count)
        {
            throw new ArgumentException($"parents have {a.Count} and {b.Count} positions");
        }

        var child = new int[a.Count];
        for (int p = 0; p < child.Length; p++)
        {
            child[p] = rng.NextDouble() < 0.5 ? a[p] : b[p];
        }

        return child;
    }

    /// <summary>The cache and file key of a genotype: its candidate indices joined by commas.</summary>
    public static string Key(IReadOnlyList<int> ops) => string.Join(',', ops);
}
