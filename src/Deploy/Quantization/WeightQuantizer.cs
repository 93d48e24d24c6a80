namespace Nas.Deploy.Quantization;

/// <summary>Symmetric int8 weights: per channel along an axis (scale = max|w|/127 of the channel, zero point 0) or per tensor (axis -1).</summary>
internal static class WeightQuantizer
{
    public static (sbyte[] Values, float[] Scales) Symmetric(float[] w, long[] shape, int axis)
    {
        int channels = axis < 0 ? 1 : (int)shape[axis];
        long outer = axis < 0 ? 1 : shape.Take(axis).Aggregate(1L, (a, b) => a * b);
        long inner = axis < 0 ? w.Length : shape.Skip(axis + 1).Aggregate(1L, (a, b) => a * b);
        var scales = new float[channels];
        for (long o = 0; o < outer; o++)
        {
            for (int c = 0; c < channels; c++)
            {
                long start = ((o * channels) + c) * inner;
                for (long i = 0; i < inner; i++)
                {
                    scales[c] = Math.Max(scales[c], Math.Abs(w[start + i]));
                }
            }
        }

        for (int c = 0; c < channels; c++)
        {
            scales[c] = scales[c] > 0 && float.IsFinite(scales[c]) ? scales[c] / 127f : 1f;
        }

        var q = new sbyte[w.Length];
        for (long o = 0; o < outer; o++)
        {
            for (int c = 0; c < channels; c++)
            {
                long start = ((o * channels) + c) * inner;
                float s = scales[c];
                for (long i = 0; i < inner; i++)
                {
                    q[start + i] = (sbyte)Math.Clamp(Math.Round(w[start + i] / s), -127, 127);
                }
            }
        }

        return (q, scales);
    }
}
