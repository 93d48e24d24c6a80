using MathNet.Numerics.Statistics;
using Nas.Core;

namespace Nas.Latency.Profiling;

/// <summary>
/// Statistics of timed runs in milliseconds (median, p10, p90, mean, standard deviation, min, max) of the round that
/// counts, and how the rounds of the measurement agreed: <see cref="Rounds"/> timed, their medians spread by
/// <see cref="RoundSpread"/> ((slowest − fastest) / fastest), and <see cref="Stable"/> when the two fastest agreed
/// within the settings' tolerance (always true for a single round, which has nothing to compare).
/// </summary>
public sealed record LatencyStats(double Median, double P10, double P90, double Mean, double Std, double Min, double Max, int Runs, int Rounds = 1, double RoundSpread = 0, bool Stable = true)
{
    public static LatencyStats From(IReadOnlyList<double> milliseconds)
    {
        if (milliseconds.Count == 0)
        {
            throw new NasException("no timed runs (--runs must be >= 1)");
        }

        double[] sorted = milliseconds.Order().ToArray();
        return new LatencyStats(
            SortedArrayStatistics.Median(sorted),
            SortedArrayStatistics.Quantile(sorted, 0.1),
            SortedArrayStatistics.Quantile(sorted, 0.9),
            sorted.Mean(),
            sorted.Length > 1 ? sorted.StandardDeviation() : 0,
            sorted[0],
            sorted[^1],
            sorted.Length);
    }
}
