namespace Nas.Core.Evolution;

/// <summary>Random search: every generation is a batch of distinct random networks that satisfy every constraint.</summary>
public sealed class RandomStrategy(ConstraintSet constraints) : ISearchStrategy
{
    private const int AttemptsPerNetwork = 50;

    public List<int[]> Propose(int generation, int count, IReadOnlyList<Individual> population, IReadOnlyList<Individual> archive, Random rng)
    {
        var sampler = new FeasibleSampler(constraints);
        var seen = new HashSet<string>(archive.Select(x => x.Key), StringComparer.Ordinal);
        var proposals = new List<int[]>(count);
        for (int attempt = 0; proposals.Count < count && attempt < count * AttemptsPerNetwork; attempt++)
        {
            int[]? ops = sampler.TryRandom(rng);
            if (ops is not null && seen.Add(GenotypeOperators.Key(ops)))
            {
                proposals.Add(ops);
            }
        }

        return proposals;
    }
}
