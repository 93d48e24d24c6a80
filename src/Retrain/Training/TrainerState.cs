namespace Nas.Retrain.Training;

/// <summary>The non-tensor part of a training checkpoint (<c>trainer.json</c>).</summary>
public sealed record TrainerState(int EpochsCompleted, long GlobalStep, double BestScore, int BestEpoch);
