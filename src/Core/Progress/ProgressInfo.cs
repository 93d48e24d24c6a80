namespace Nas.Core.Progress;

/// <summary>
/// A progress report from long-running library work (<see cref="IProgress{T}"/>): the front end turns it
/// into a progress bar with an ETA. <paramref name="Total"/> of 0 means unknown.
/// </summary>
/// <param name="Task">Short name of the task, e.g. "search" or "profile".</param>
/// <param name="Done">Units completed.</param>
/// <param name="Total">Units in all.</param>
/// <param name="Detail">Current state, e.g. "epoch 3/10 loss 0.41".</param>
public sealed record ProgressInfo(string Task, long Done, long Total, string? Detail = null);
