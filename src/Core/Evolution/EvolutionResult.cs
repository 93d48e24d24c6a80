namespace Nas.Core.Evolution;

/// <summary>What an evolutionary search returns: the best individual, the Pareto front (accuracy ↑, first cost ↓) of everything evaluated, the final population and the archive.</summary>
public sealed record EvolutionResult(
    Individual Best,
    IReadOnlyList<Individual> Front,
    IReadOnlyList<Individual> Population,
    IReadOnlyList<Individual> Archive);
