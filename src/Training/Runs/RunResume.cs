using Microsoft.Extensions.Logging;

namespace Nas.Training.Runs;

/// <summary>
/// What every resumed run does once it knows the epoch its checkpoint holds (0 when there is none): report the
/// temporary files of interrupted writes that <see cref="RunFolder.Open{TConfig}"/> removed, and cut each per-epoch
/// file back to that epoch, so rows written after the last complete checkpoint (or before the first) never repeat.
/// </summary>
public static class RunResume
{
    public static void Prepare(RunFolder run, int epochsCompleted, ILogger logger, params Action<int>[] truncateAfter)
    {
        if (run.RemovedTempFiles.Count > 0)
        {
            logger.LogInformation("removed {Count} temporary file(s) of interrupted writes: {Files}",
                run.RemovedTempFiles.Count, string.Join(", ", run.RemovedTempFiles.Select(f => Path.GetRelativePath(run.Path, f))));
        }

        foreach (Action<int> truncate in truncateAfter)
        {
            truncate(epochsCompleted);
        }
    }
}
