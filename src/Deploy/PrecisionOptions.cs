using Nas.Core;
using Nas.Deploy.Calibration;
using Nas.Deploy.Quantization;

namespace Nas.Deploy;

/// <summary>How <see cref="PrecisionTransform"/> converts an exported FP32 model: FP32 (unchanged), FP16, or INT8 with calibration data.</summary>
public sealed record PrecisionOptions
{
    public Precision Precision { get; init; } = Precision.Fp32;

    /// <summary>Calibration images (required for INT8).</summary>
    public CalibrationSpec? Calibration { get; init; }

    public QuantizationOptions Quantization { get; init; } = new();

    /// <summary>ONNX Runtime intra-op threads for calibration.</summary>
    public int Threads { get; init; } = 2;

    /// <summary>Checks everything before any model is exported or written.</summary>
    public void Validate()
    {
        if (Precision == Precision.Int8 && Calibration is null)
        {
            throw new NasException("--int8 needs calibration data: give --calibration-dataset NAME --calibration-root DIR (e.g. --calibration-dataset synthetic --calibration-root data/synth)");
        }

        if (Precision != Precision.Int8 && Calibration is not null)
        {
            throw new NasException("--calibration-* options are only used with --int8");
        }

        Calibration?.Validate();
        Quantization.Validate();
        if (Threads < 1)
        {
            throw new NasException($"--threads must be >= 1 (got {Threads})");
        }
    }
}
