namespace Nas.OneShot.Training;

/// <summary>The part of a supernet checkpoint that is not tensors (<c>trainer.json</c>).</summary>
public sealed record SupernetTrainerState(int EpochsCompleted, long GlobalStep);
