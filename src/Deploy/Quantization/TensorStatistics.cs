namespace Nas.Deploy.Quantization;

/// <summary>
/// Calibration statistics of one tensor: minimum and maximum over all samples and, for the histogram methods, a
/// histogram of the values over [<see cref="Min"/>, <see cref="Max"/>] and one of |values| over [0, max |value|],
/// both filled in a second pass once the extremes are known.
/// </summary>
internal sealed class TensorStatistics(string name)
{
    public string Name { get; } = name;

    public float Min { get; private set; } = float.PositiveInfinity;

    public float Max { get; private set; } = float.NegativeInfinity;

    public long Count { get; private set; }

    public long[]? Histogram { get; private set; }

    public long[]? AbsHistogram { get; private set; }

    public float AbsMax => Math.Max(Math.Abs(Min), Math.Abs(Max));

    public void AddRange(ReadOnlySpan<float> values)
    {
        float min = Min, max = Max;
        foreach (float v in values)
        {
            if (float.IsFinite(v))
            {
                if (v < min)
                {
                    min = v;
                }

                if (v > max)
                {
                    max = v;
                }
            }
        }

        Min = min;
        Max = max;
        Count += values.Length;
    }

    public void AddHistogram(ReadOnlySpan<float> values, int bins)
    {
        Histogram ??= new long[bins];
        AbsHistogram ??= new long[bins];
        float span = Max - Min;
        float abs = AbsMax;
        if (!(span > 0) || !(abs > 0))
        {
            Histogram[0] += values.Length;
            AbsHistogram[0] += values.Length;
            return;
        }

        float toBin = bins / span, toAbsBin = bins / abs;
        long[] h = Histogram, a = AbsHistogram;
        foreach (float v in values)
        {
            if (!float.IsFinite(v))
            {
                continue;
            }

            int b = (int)((v - Min) * toBin);
            h[Math.Clamp(b, 0, bins - 1)]++;
            int c = (int)(Math.Abs(v) * toAbsBin);
            a[Math.Clamp(c, 0, bins - 1)]++;
        }
    }
}
