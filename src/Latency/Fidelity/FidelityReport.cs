namespace Nas.Latency.Fidelity;

/// <summary>
/// The outcome of <c>nas lut check</c>: the table as predictor, and MACs (through a fitted line) for comparison;
/// with <c>--calibrate</c> also the fitted calibration and whether it was kept.
/// </summary>
public sealed record FidelityReport(string Table, string Runtime, string Provider, int Threads, string Input, FidelityStats TableStats, FidelityStats Macs, IReadOnlyList<FidelityRow> Networks, CalibrationAssessment? Calibration = null);
