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

    /// <summary>
    /// Fits a calibration and decides whether it improves on the raw table: each network is predicted by a
    /// calibration fitted on the others (leave-one-out) and the mean absolute percentage error of these held-out
    /// predictions must be below the raw table's. A fit to timings disturbed by a busy machine usually fails this.
    /// </summary>
    public static CalibrationAssessment Assess(IReadOnlyList<double> raw, IReadOnlyList<double> measured, double cheapestRaw)
    {
        if (raw.Count < 3)
        {
            throw new NasException($"judging a calibration needs at least three networks (got {raw.Count})");
        }

        LatencyCalibration fit = Fit(raw, measured, cheapestRaw);
        double rawMape = Mape(raw, measured);
        double fittedMape = Mape(raw.Select(fit.Apply).ToArray(), measured);
        var heldOut = new double[raw.Count];
        for (int i = 0; i < raw.Count; i++)
        {
            double[] r = raw.Where((_, j) => j != i).ToArray();
            double[] m = measured.Where((_, j) => j != i).ToArray();
            heldOut[i] = Fit(r, m, cheapestRaw).Apply(raw[i]);
        }

        double heldOutMape = Mape(heldOut, measured);
        bool accepted = heldOutMape < rawMape;
        string verdict = accepted
            ? $"calibration kept: {fit.Method} fit (slope {fit.Slope:G3}, intercept {fit.Intercept:G3} ms) predicts networks it was not fitted on with {heldOutMape:F1} % mean error against {rawMape:F1} % for the raw table"
            : $"calibration rejected: its {fit.Method} fit (slope {fit.Slope:G3}, intercept {fit.Intercept:G3} ms) predicts networks it was not fitted on with {heldOutMape:F1} % mean error, no better than the raw table's {rawMape:F1} %; the raw table is used";
        return new CalibrationAssessment(fit, rawMape, fittedMape, heldOutMape, accepted, verdict);
    }

    /// <summary>The calibrated prediction for a raw table sum.</summary>
    public double Apply(double raw) => (Slope * raw) + Intercept;

    private static double Mape(IReadOnlyList<double> predicted, IReadOnlyList<double> measured) =>
        predicted.Zip(measured, (p, m) => Math.Abs(p - m) / m).Average() * 100;
}
