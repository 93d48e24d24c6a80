using Nas.Core;

namespace Nas.Deploy.Quantization;

/// <summary>Calibration settings of the INT8 quantisation.</summary>
public sealed record QuantizationOptions
{
    public CalibrationMethod Method { get; init; } = CalibrationMethod.Percentile;

    /// <summary>Percentile of <see cref="CalibrationMethod.Percentile"/> (per tail), in (50, 100].</summary>
    public double Percentile { get; init; } = 99.99;

    /// <summary>Histogram bins per tensor for the percentile and entropy methods.</summary>
    public int Bins { get; init; } = 2048;

    public void Validate()
    {
        if (!(Percentile > 50 && Percentile <= 100))
        {
            throw new NasException($"--percentile must be in (50, 100] (got {Percentile})");
        }

        if (Bins < 256)
        {
            throw new NasException($"histogram bins must be >= 256 (got {Bins})");
        }
    }
}
