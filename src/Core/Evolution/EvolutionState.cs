namespace Nas.Core.Evolution;

/// <summary>
/// The resumable state of an evolutionary search after a completed generation (<c>population.json</c>): the
/// surviving population, every individual evaluated so far, and a fingerprint of the settings it belongs to.
/// </summary>
public sealed record EvolutionState
{
    public required string Fingerprint { get; init; }

    /// <summary>0 after the initial population, g after generation g.</summary>
    public required int GenerationsCompleted { get; init; }

    public required IReadOnlyList<Individual> Population { get; init; }

    /// <summary>Every evaluated individual in evaluation order.</summary>
    public required IReadOnlyList<Individual> Archive { get; init; }
}
