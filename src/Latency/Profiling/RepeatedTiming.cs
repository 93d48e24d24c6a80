using System.Diagnostics;
using Nas.Core;

namespace Nas.Latency.Profiling;

/// <summary>
/// The timing loop every profiler shares: warm-up runs, then rounds of <see cref="ProfileSettings.Runs"/> timed runs,
/// keeping the round with the lowest median. On a shared machine a round can be slowed by another process; the
/// fastest round is the best estimate of the undisturbed latency. Rounds continue beyond
/// <see cref="ProfileSettings.Repeats"/> (up to <see cref="ProfileSettings.MaxRepeats"/>) until the two fastest
/// round medians agree (<see cref="RoundsAgree"/>). Several models are timed <em>interleaved</em>: each round times
/// every model once, so a slow phase of the machine affects all of them alike instead of whichever model happened
/// to be measured then.
/// </summary>
public static class RepeatedTiming
{
    /// <param name="settings">Warm-up, runs and repeats.</param>
    /// <param name="run">One inference; only this call is timed.</param>
    /// <param name="scopePerRun">Optional per-run scope (e.g. a TorchSharp dispose scope), opened before and disposed after the timed call.</param>
    public static LatencyStats BestOfRepeats(ProfileSettings settings, Action run, Func<IDisposable>? scopePerRun = null) =>
        Interleaved(settings, [run], scopePerRun)[0];

    /// <summary>Times every action in rounds that visit each action in turn; one result per action, in order.</summary>
    public static IReadOnlyList<LatencyStats> Interleaved(ProfileSettings settings, IReadOnlyList<Action> runs, Func<IDisposable>? scopePerRun = null, CancellationToken cancellationToken = default)
    {
        if (settings.Repeats < 1)
        {
            throw new NasException("no timed rounds (--repeats must be >= 1)");
        }

        foreach (Action run in runs)
        {
            for (int i = 0; i < settings.Warmup; i++)
            {
                using IDisposable? scope = scopePerRun?.Invoke();
                run();
            }
        }

        var rounds = runs.Select(_ => new List<LatencyStats>()).ToArray();
        for (int r = 0; r < settings.RoundLimit; r++)
        {
            if (r >= settings.Repeats && rounds.All(m => RoundsAgree(m.Select(s => s.Median).ToArray(), settings.Stability)))
            {
                break;
            }

            for (int n = 0; n < runs.Count; n++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var times = new double[settings.Runs];
                for (int i = 0; i < settings.Runs; i++)
                {
                    using IDisposable? scope = scopePerRun?.Invoke();
                    long start = Stopwatch.GetTimestamp();
                    runs[n]();
                    times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }

                rounds[n].Add(LatencyStats.From(times));
            }
        }

        return rounds.Select(m => Summarise(m, settings.Stability)).ToArray();
    }

    /// <summary>
    /// True when the two fastest of the round medians lie within <paramref name="tolerance"/> of each other (relative
    /// to the fastest): interference only ever slows a round down, so seeing the fastest speed twice means it is the
    /// undisturbed one. A single round has nothing to compare and counts as agreeing.
    /// </summary>
    public static bool RoundsAgree(IReadOnlyList<double> medians, double tolerance)
    {
        if (medians.Count < 2)
        {
            return true;
        }

        double[] sorted = medians.Order().ToArray();
        return sorted[1] - sorted[0] <= tolerance * sorted[0];
    }

    private static LatencyStats Summarise(List<LatencyStats> rounds, double tolerance)
    {
        LatencyStats best = rounds.MinBy(s => s.Median)!;
        double[] medians = rounds.Select(s => s.Median).ToArray();
        double spread = medians.Min() > 0 ? (medians.Max() - medians.Min()) / medians.Min() : 0;
        return best with { Rounds = rounds.Count, RoundSpread = spread, Stable = RoundsAgree(medians, tolerance) };
    }
}
