namespace Nas.Deploy.Quantization;

/// <summary>What the INT8 quantisation did: quantised ops by type, removed activations, Q/DQ node counts, calibration.</summary>
public sealed record QuantizationSummary(
    IReadOnlyDictionary<string, int> QuantizedOps,
    int RemovedActivations,
    int QuantizeNodes,
    int DequantizeNodes,
    int CalibratedTensors,
    int CalibrationSamples,
    string Calibration);
