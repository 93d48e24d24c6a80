using MathNet.Numerics;
using MathNet.Numerics.Statistics;
using Nas.Core;

namespace Nas.Latency.Fidelity;

/// <summary>
/// How well a predictor (a lookup table's sum, or MACs through a fitted line) predicts measured latency:
/// MAPE, maximum error, Pearson and Spearman correlation, the share within ±10 %, and the least-squares line
/// measured ≈ slope·predicted + intercept with the MAPE after that correction.
/// </summary>
public sealed record FidelityStats(
    int Samples,
    double Mape,
    double MaxAbsPercentError,
    double Pearson,
    double Spearman,
    double Within10Percent,
    double Slope,
    double Intercept,
    double CorrectedMape,
    double CorrectedWithin10Percent)
{
    public static FidelityStats Compute(IReadOnlyList<double> predicted, IReadOnlyList<double> measured)
    {
        if (predicted.Count != measured.Count || predicted.Count < 2)
        {
            throw new NasException($"fidelity needs at least two (predicted, measured) pairs (got {predicted.Count} and {measured.Count})");
        }

        double[] p = [.. predicted];
        double[] m = [.. measured];
        double[] errors = p.Zip(m, (a, b) => Math.Abs(a - b) / b).ToArray();
        (double intercept, double slope) = Fit.Line(p, m);
        double[] corrected = p.Select(v => (slope * v) + intercept).ToArray();
        double[] correctedErrors = corrected.Zip(m, (a, b) => Math.Abs(a - b) / b).ToArray();
        return new FidelityStats(
            p.Length,
            errors.Average() * 100,
            errors.Max() * 100,
            Correlation.Pearson(p, m),
            Correlation.Spearman(p, m),
            errors.Count(e => e <= 0.10) / (double)errors.Length,
            slope,
            intercept,
            correctedErrors.Average() * 100,
            correctedErrors.Count(e => e <= 0.10) / (double)correctedErrors.Length);
    }
}
