using Nas.Core;

namespace Nas.Latency.Fidelity;

/// <summary>
/// A linear correction of a lookup table, measured ≈ <see cref="Slope"/>·(raw table sum) + <see cref="Intercept"/>,
/// fitted on networks measured end to end.
/// </summary>
/// <param name="Method">"line" for a least-squares line; "proportional" for a fit through the origin.</param>
public sealed record LatencyCalibration(double Slope, double Intercept, string Method)
{
    /// <summary>
    /// Fits the line by least squares. A few sub-millisecond measurements on a busy machine can tilt the line so far
    /// that its intercept is strongly negative and cheap networks are predicted at zero or less, which would make
    /// latency targets meaningless. The line is therefore kept only when its slope is positive and it predicts the
    /// cheapest network of the space at no less than half the fastest measured network; otherwise the fit falls
    /// back to a proportional one (intercept 0), which keeps every prediction positive.
    /// </summary>
    /// <param name="raw">Uncalibrated table sums of the measured networks.</param>
    /// <param name="measured">Their measured latencies (same order).</param>
    /// <param name="cheapestRaw">Uncalibrated table sum of the cheapest network of the space.</param>
    public static LatencyCalibration Fit(IReadOnlyList<double> raw, IReadOnlyList<double> measured, double cheapestRaw)
    {
        if (raw.Count != measured.Count || raw.Count < 2)
        {
            throw new NasException($"a calibration needs at least two networks with one measurement each (got {raw.Count} sums and {measured.Count} measurements)");
        }

        if (raw.Concat(measured).Any(v => !double.IsFinite(v) || v <= 0))
        {
            throw new NasException("a calibration needs positive, finite table sums and measurements");
        }

        (double intercept, double slope) = MathNet.Numerics.Fit.Line(raw.ToArray(), measured.ToArray());
        if (double.IsFinite(slope) && double.IsFinite(intercept) && slope > 0
            && (slope * cheapestRaw) + intercept >= 0.5 * measured.Min())
        {
            return new LatencyCalibration(slope, intercept, "line");
        }

        double proportional = raw.Zip(measured, (r, m) => r * m).Sum() / raw.Sum(r => r * r);
        return new LatencyCalibration(proportional, 0, "proportional");
    }
}
