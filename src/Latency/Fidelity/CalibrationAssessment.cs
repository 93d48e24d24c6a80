namespace Nas.Latency.Fidelity;

/// <summary>
/// Whether a calibration is worth keeping: the raw table's error on the measured networks against the calibrated
/// prediction's error on networks it was not fitted on (leave-one-out), so that a line fitted to noise cannot look
/// good by construction.
/// </summary>
/// <param name="Fit">The calibration fitted on all networks.</param>
/// <param name="RawMape">Mean absolute percentage error of the raw table sums.</param>
/// <param name="FittedMape">Error of <paramref name="Fit"/> on the networks it was fitted on (optimistic).</param>
/// <param name="HeldOutMape">Leave-one-out error: each network predicted by a calibration fitted on the others.</param>
/// <param name="Accepted">True when the held-out error is below the raw table's.</param>
/// <param name="Verdict">One sentence for logs and reports.</param>
public sealed record CalibrationAssessment(LatencyCalibration Fit, double RawMape, double FittedMape, double HeldOutMape, bool Accepted, string Verdict);
