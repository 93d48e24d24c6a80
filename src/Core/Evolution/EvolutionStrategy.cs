namespace Nas.Core.Evolution;

/// <summary>
/// Evolution: children by binary tournament on (front rank, crowding distance), uniform crossover with probability
/// <see cref="EvolutionOptions.CrossoverProb"/> and per-position mutation, each redrawn until it satisfies every
/// constraint and has not been evaluated before; a converged population falls back to fresh random networks.
/// </summary>
public sealed class EvolutionStrategy(EvolutionOptions options, ConstraintSet constraints) : ISearchStrategy
{
    private const int ChildAttempts = 100;
    private const int FallbackAttempts = 20;

    public List<int[]> Propose(int generation, int count, IReadOnlyList<Individual> population, IReadOnlyList<Individual> archive, Random rng)
    {
        var sampler = new FeasibleSampler(constraints);
        (int[] rank, double[] crowding) = ParetoSorting.RankAndCrowding(population.Select(x => x.Objectives(options.Objectives)).ToArray());
        var seen = new HashSet<string>(archive.Select(x => x.Key), StringComparer.Ordinal);
        var children = new List<int[]>(count);
        while (children.Count < count)
        {
            int[]? child = null;
            for (int attempt = 0; attempt < ChildAttempts && child is null; attempt++)
            {
                Individual a = population[Tournament(rng, rank, crowding)];
                Individual b = population[Tournament(rng, rank, crowding)];
                int[] mixed = rng.NextDouble() < options.CrossoverProb ? GenotypeOperators.Crossover(rng, a.Ops, b.Ops) : a.Ops.ToArray();
                int[] candidate = GenotypeOperators.Mutate(rng, mixed, options.MutationProb, constraints.Candidates);
                if (constraints.Feasible(candidate) && !seen.Contains(GenotypeOperators.Key(candidate)))
                {
                    child = candidate;
                }
            }

            // Converged populations (or tiny feasible regions) may produce only repeats: fall back to fresh random networks.
            for (int attempt = 0; attempt < FallbackAttempts && child is null; attempt++)
            {
                int[]? fresh = sampler.TryRandom(rng);
                if (fresh is not null && !seen.Contains(GenotypeOperators.Key(fresh)))
                {
                    child = fresh;
                }
            }

            if (child is null)
            {
                break;
            }

            seen.Add(GenotypeOperators.Key(child));
            children.Add(child);
        }

        return children;
    }

    private static int Tournament(Random rng, int[] rank, double[] crowding)
    {
        int i = rng.Next(rank.Length);
        int j = rng.Next(rank.Length);
        if (rank[j] < rank[i] || (rank[j] == rank[i] && crowding[j] > crowding[i]))
        {
            return j;
        }

        return i;
    }
}
