namespace Nas.Retrain.Training;

/// <summary>The outcome of a training run.</summary>
public sealed record TrainResult(int Epochs, double BestScore, int BestEpoch, IReadOnlyList<TrainEpochRow> History);
