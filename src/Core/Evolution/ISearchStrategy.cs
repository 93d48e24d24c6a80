namespace Nas.Core.Evolution;

/// <summary>
/// A search strategy in NNI's sense: it only proposes genotypes (as candidate indices); evaluating them with a supernet,
/// checking constraints, keeping the archive, selecting survivors and resuming are <see cref="EvolutionarySearch"/>'s.
/// Every proposal must satisfy the constraints and must not repeat an evaluated genotype.
/// </summary>
public interface ISearchStrategy
{
    /// <summary>Up to <paramref name="count"/> new feasible, unseen genotypes for <paramref name="generation"/>.</summary>
    List<int[]> Propose(int generation, int count, IReadOnlyList<Individual> population, IReadOnlyList<Individual> archive, Random rng);

    public static ISearchStrategy For(EvolutionOptions options, ConstraintSet constraints) => options.Strategy switch
    {
        SearchStrategyKind.Random => new RandomStrategy(constraints),
        _ => new EvolutionStrategy(options, constraints),
    };
}
