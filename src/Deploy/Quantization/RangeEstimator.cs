namespace Nas.Deploy.Quantization;

/// <summary>The quantisation range of a tensor from its calibration statistics, by <see cref="CalibrationMethod"/>.</summary>
internal static class RangeEstimator
{
    public static (float Lo, float Hi) Range(TensorStatistics s, QuantizationOptions options)
    {
        if (!float.IsFinite(s.Min) || !float.IsFinite(s.Max))
        {
            return (0, 0);
        }

        return options.Method switch
        {
            CalibrationMethod.MinMax => (s.Min, s.Max),
            CalibrationMethod.Percentile => Percentile(s, options.Percentile),
            _ => Entropy(s),
        };
    }

    /// <summary>Clips (100 − p) % of the values in each tail; the range never leaves [min, max].</summary>
    internal static (float Lo, float Hi) Percentile(TensorStatistics s, double percentile)
    {
        long[] h = s.Histogram ?? throw new InvalidOperationException($"no histogram for '{s.Name}'");
        long total = h.Sum();
        if (total == 0 || !(s.Max > s.Min))
        {
            return (s.Min, s.Max);
        }

        double tail = total * (1 - (percentile / 100));
        double width = (s.Max - s.Min) / (double)h.Length;
        int lo = 0;
        long cumulative = 0;
        while (lo < h.Length - 1 && cumulative + h[lo] <= tail)
        {
            cumulative += h[lo++];
        }

        int hi = h.Length - 1;
        cumulative = 0;
        while (hi > lo && cumulative + h[hi] <= tail)
        {
            cumulative += h[hi--];
        }

        float l = s.Min >= 0 ? s.Min : (float)(s.Min + (lo * width));
        float u = (float)(s.Min + ((hi + 1) * width));
        return (Math.Max(s.Min, l), Math.Min(s.Max, u));
    }

    /// <summary>
    /// TensorRT's entropy calibration on the |x| histogram: for every candidate threshold (bin i ≥ quantised levels),
    /// P = the histogram up to i with the clipped tail added to its last bin, Q = those bins merged into the quantised
    /// levels and spread back over their non-empty bins; the threshold minimising KL(P‖Q) wins. Non-negative tensors
    /// (after ReLU) use 255 levels (uint8 with zero point 0); signed ones 128 per side, clipped symmetrically.
    /// Entropy calibration clips hardest of the three methods; with few calibration images prefer percentile.
    /// </summary>
    internal static (float Lo, float Hi) Entropy(TensorStatistics s)
    {
        long[] h = (long[])(s.AbsHistogram ?? throw new InvalidOperationException($"no histogram for '{s.Name}'")).Clone();

        // After a ReLU a large share of the values is exactly 0. That spike is represented exactly at any threshold, but
        // merged into the first quantised level it would dominate the divergence and force the smallest threshold;
        // it is levelled to its neighbour as NVIDIA's calibrators do.
        if (h.Length > 1)
        {
            h[0] = Math.Min(h[0], h[1]);
        }

        float absMax = s.AbsMax;
        if (!(absMax > 0) || h.Sum() == 0)
        {
            return (s.Min, s.Max);
        }

        bool nonNegative = s.Min >= 0;
        int levels = nonNegative ? 255 : 128;
        int bins = h.Length;
        if (bins <= levels)
        {
            return (s.Min, s.Max);
        }

        double best = double.PositiveInfinity;
        int bestBin = bins;
        var p = new double[bins];
        var q = new double[bins];
        var tail = new long[bins + 1];
        for (int k = bins - 1; k >= 0; k--)
        {
            tail[k] = tail[k + 1] + h[k];
        }

        for (int i = levels; i <= bins; i++)
        {
            long outliers = tail[i];

            for (int k = 0; k < i; k++)
            {
                p[k] = h[k];
            }

            p[i - 1] += outliers;
            Array.Clear(q, 0, i);
            for (int j = 0; j < levels; j++)
            {
                int start = (int)((long)j * i / levels);
                int end = (int)((long)(j + 1) * i / levels);
                double sum = 0;
                int nonZero = 0;
                for (int k = start; k < end; k++)
                {
                    sum += h[k];
                    if (h[k] != 0)
                    {
                        nonZero++;
                    }
                }

                if (nonZero > 0)
                {
                    double share = sum / nonZero;
                    for (int k = start; k < end; k++)
                    {
                        q[k] = h[k] != 0 ? share : 0;
                    }
                }
            }

            double kl = Divergence(p, q, i);
            if (kl < best)
            {
                best = kl;
                bestBin = i;
            }
        }

        float threshold = (float)(absMax * bestBin / bins);
        return nonNegative ? (s.Min, Math.Min(s.Max, threshold)) : (Math.Max(s.Min, -threshold), Math.Min(s.Max, threshold));
    }

    /// <summary>KL(P‖Q) of the first <paramref name="n"/> bins after normalising; empty Q bins where P has mass get a small share (smoothing).</summary>
    private static double Divergence(double[] p, double[] q, int n)
    {
        double sp = 0, sq = 0;
        for (int k = 0; k < n; k++)
        {
            sp += p[k];
            sq += q[k];
        }

        if (sp <= 0 || sq <= 0)
        {
            return double.PositiveInfinity;
        }

        const double epsilon = 1e-4;
        int zerosQ = 0, nonZerosQ = 0;
        for (int k = 0; k < n; k++)
        {
            if (q[k] == 0)
            {
                zerosQ++;
            }
            else
            {
                nonZerosQ++;
            }
        }

        if (nonZerosQ == 0)
        {
            return double.PositiveInfinity;
        }

        double take = epsilon * zerosQ / nonZerosQ;
        double kl = 0;
        for (int k = 0; k < n; k++)
        {
            if (p[k] <= 0)
            {
                continue;
            }

            double pk = p[k] / sp;
            double qk = q[k] == 0 ? epsilon : (q[k] / sq) - take;
            kl += pk * Math.Log(pk / Math.Max(qk, 1e-12));
        }

        return kl;
    }
}
