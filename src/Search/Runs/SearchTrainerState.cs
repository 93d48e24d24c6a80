namespace Nas.Search.Runs;

/// <summary>The part of a search checkpoint that is not tensors (<c>trainer.json</c>).</summary>
public sealed record SearchTrainerState(int EpochsCompleted, long GlobalStep, double Temperature, string GenotypeCanonical);
