using System.Globalization;

namespace Nas.Core.Evolution;

/// <summary>
/// Settings of the evolutionary search. Defaults follow Once-for-All's evolution (mutation probability 0.1 per
/// position) scaled down for CPU budgets: 16 individuals over 10 generations is 176 evaluations.
/// </summary>
public sealed record EvolutionOptions
{
    public int Population { get; init; } = 16;

    /// <summary>Generations after the initial (random) population.</summary>
    public int Generations { get; init; } = 10;

    /// <summary>Per-position probability that a child's candidate is replaced by another one.</summary>
    public double MutationProb { get; init; } = 0.1;

    /// <summary>Probability that a child is a uniform crossover of two parents (otherwise a copy of one parent), before mutation.</summary>
    public double CrossoverProb { get; init; } = 0.5;

    public EvolutionObjectives Objectives { get; init; } = EvolutionObjectives.Miou;

    /// <summary>How new networks are proposed: evolution (default) or random search.</summary>
    public SearchStrategyKind Strategy { get; init; } = SearchStrategyKind.Evolution;

    public int Seed { get; init; }

    /// <summary>Evaluations the search will make at most: the initial population and one population of children per generation.</summary>
    public int TotalEvaluations => Population * (Generations + 1);

    public void Validate()
    {
        if (Population < 2)
        {
            throw new NasException($"--population must be >= 2 (got {Population}): crossover needs two parents");
        }

        if (Generations < 0)
        {
            throw new NasException($"--generations must be >= 0 (got {Generations})");
        }

        if (!(MutationProb >= 0 && MutationProb <= 1))
        {
            throw new NasException($"--mutation-prob must be in [0, 1] (got {MutationProb.ToString(CultureInfo.InvariantCulture)})");
        }

        if (!(CrossoverProb >= 0 && CrossoverProb <= 1))
        {
            throw new NasException($"--crossover-prob must be in [0, 1] (got {CrossoverProb.ToString(CultureInfo.InvariantCulture)})");
        }
    }
}
