namespace Nas.OneShot.Training;

/// <summary>What a supernet run leaves: its per-epoch history and the checkpoint the searches start from.</summary>
public sealed record SupernetTrainResult(int Epochs, IReadOnlyList<SupernetEpochRow> History, string CheckpointPath);
