namespace Nas.Core.Statistics;

/// <summary>
/// Rank correlations between two paired samples (e.g. inherited-weight and stand-alone mIoU of the same networks):
/// Kendall's τ-b (ties corrected) and Spearman's ρ (Pearson correlation of average ranks). Both are NaN when fewer
/// than two pairs are given or one side is constant.
/// </summary>
public static class RankCorrelation
{
    public static double KendallTau(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        Check(x, y);
        int n = x.Count;
        long concordant = 0, discordant = 0, tiesX = 0, tiesY = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                int dx = Math.Sign(x[i] - x[j]);
                int dy = Math.Sign(y[i] - y[j]);
                if (dx == 0 && dy == 0)
                {
                    continue;
                }

                if (dx == 0)
                {
                    tiesX++;
                }
                else if (dy == 0)
                {
                    tiesY++;
                }
                else if (dx == dy)
                {
                    concordant++;
                }
                else
                {
                    discordant++;
                }
            }
        }

        double denominator = Math.Sqrt((double)(concordant + discordant + tiesX) * (concordant + discordant + tiesY));
        return denominator > 0 ? (concordant - discordant) / denominator : double.NaN;
    }

    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        Check(x, y);
        return Pearson(Ranks(x), Ranks(y));
    }

    /// <summary>Average ranks (1-based; tied values share the mean of their ranks).</summary>
    public static double[] Ranks(IReadOnlyList<double> values)
    {
        int n = values.Count;
        int[] order = Enumerable.Range(0, n).OrderBy(i => values[i]).ToArray();
        var ranks = new double[n];
        for (int start = 0; start < n;)
        {
            int end = start;
            while (end + 1 < n && values[order[end + 1]] == values[order[start]])
            {
                end++;
            }

            double rank = ((start + end) / 2.0) + 1;
            for (int i = start; i <= end; i++)
            {
                ranks[order[i]] = rank;
            }

            start = end + 1;
        }

        return ranks;
    }

    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        Check(x, y);
        int n = x.Count;
        if (n < 2)
        {
            return double.NaN;
        }

        double mx = x.Average(), my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }

        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : double.NaN;
    }

    private static void Check(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"paired samples differ in length ({x.Count} and {y.Count})");
        }

        if (x.Concat(y).Any(double.IsNaN))
        {
            throw new NasException("rank correlation of values that include NaN (a network whose mIoU could not be computed)");
        }
    }
}
