using MathNet.Numerics.Statistics;
using Nas.Core;

namespace Nas.Latency.Profiling;

/// <summary>Statistics of timed runs in milliseconds (median, p10, p90, mean, standard deviation, min, max).</summary>
public sealed record LatencyStats(double Median, double P10, double P90, double Mean, double Std, double Min, double Max, int Runs)
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
