namespace Nas.Deploy.Quantization;

/// <summary>
/// uint8 asymmetric parameters of an activation: the range always contains 0 (so zero padding is exact), scale =
/// (hi − lo)/255, zero point = round(−lo/scale).
/// </summary>
internal readonly record struct QuantParams(float Scale, byte ZeroPoint, float Lo, float Hi)
{
    public static QuantParams FromRange(float lo, float hi)
    {
        lo = Math.Min(lo, 0);
        hi = Math.Max(hi, 0);
        if (!float.IsFinite(lo) || !float.IsFinite(hi) || hi - lo < 1e-12f)
        {
            return new QuantParams(1f, 0, 0, 0);
        }

        float scale = (hi - lo) / 255f;
        byte zeroPoint = (byte)Math.Clamp(Math.Round(-lo / scale), 0, 255);
        return new QuantParams(scale, zeroPoint, lo, hi);
    }
}
