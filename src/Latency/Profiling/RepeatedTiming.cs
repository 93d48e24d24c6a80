using System.Diagnostics;

namespace Nas.Latency.Profiling;

/// <summary>
/// The timing loop both profilers share: warm-up runs, then <see cref="ProfileSettings.Repeats"/> rounds of
/// <see cref="ProfileSettings.Runs"/> timed runs, keeping the round with the lowest median. On a shared machine a
/// round can be slowed by another process; the fastest round is the best estimate of the undisturbed latency.
/// </summary>
public static class RepeatedTiming
{
    /// <param name="settings">Warm-up, runs and repeats.</param>
    /// <param name="run">One inference; only this call is timed.</param>
    /// <param name="scopePerRun">Optional per-run scope (e.g. a TorchSharp dispose scope), opened before and disposed after the timed call.</param>
    public static LatencyStats BestOfRepeats(ProfileSettings settings, Action run, Func<IDisposable>? scopePerRun = null)
    {
        for (int i = 0; i < settings.Warmup; i++)
        {
            using IDisposable? scope = scopePerRun?.Invoke();
            run();
        }

        LatencyStats? best = null;
        for (int r = 0; r < settings.Repeats; r++)
        {
            var times = new double[settings.Runs];
            for (int i = 0; i < settings.Runs; i++)
            {
                using IDisposable? scope = scopePerRun?.Invoke();
                long start = Stopwatch.GetTimestamp();
                run();
                times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }

            LatencyStats stats = LatencyStats.From(times);
            if (best is null || stats.Median < best.Median)
            {
                best = stats;
            }
        }

        return best ?? throw new Core.NasException("no timed rounds (--repeats must be >= 1)");
    }
}
