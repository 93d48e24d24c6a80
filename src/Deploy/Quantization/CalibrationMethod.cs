namespace Nas.Deploy.Quantization;

/// <summary>How an activation's quantisation range is chosen from its calibration values.</summary>
public enum CalibrationMethod
{
    /// <summary>The observed minimum and maximum (no clipping; outliers stretch the scale).</summary>
    MinMax,

    /// <summary>The given percentile of each tail (e.g. 99.99: the 0.01 % most extreme values on each side are clipped).</summary>
    Percentile,

    /// <summary>The threshold that minimises the KL divergence between the clipped and the quantised distribution (TensorRT's entropy calibration).</summary>
    Entropy,
}
