namespace Nas.Deploy.Calibration;

/// <summary>One set of model inputs (name → float32 values in the input's shape) and where it came from.</summary>
public sealed record CalibrationSample(IReadOnlyDictionary<string, float[]> Inputs, string Source);
