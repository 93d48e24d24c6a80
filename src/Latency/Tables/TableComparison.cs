using MathNet.Numerics.Statistics;
using Nas.Core;
using Nas.Core.Costs;
using Nas.Core.SearchSpaces;

namespace Nas.Latency.Tables;

/// <summary>
/// Two latency tables of the same space and input (e.g. FP32 and INT8): per candidate op the median ratio B/A over
/// its positions, and per position whether the ranking of the candidates changes (Spearman ρ of the candidates'
/// costs; how often the fastest and the slowest candidate differ). Costs are the per-entry costs the search uses
/// (run overhead removed, no calibration).
/// </summary>
public static class TableComparison
{
    public sealed record OpRow(string Op, double MedianRatio, double MinRatio, double MaxRatio, double MeanMsA, double MeanMsB);

    public sealed record PositionRow(int Position, double Spearman, string FastestA, string FastestB, string SlowestA, string SlowestB);

    public sealed record Result(string A, string B, IReadOnlyList<OpRow> Ops, IReadOnlyList<PositionRow> Positions, double MeanSpearman, int FastestChanged, int SlowestChanged, double WholeSpaceSpearman);

    public static Result Compare(string pathA, string pathB)
    {
        LookupTable a = LookupTable.Load(pathA), b = LookupTable.Load(pathB);
        if (a.Metric != CostMetrics.Latency || b.Metric != CostMetrics.Latency)
        {
            throw new NasException($"lut compare needs two latency tables (unit ms): {pathA} is '{a.Unit}', {pathB} is '{b.Unit}'");
        }

        if (a.Metadata.SpaceCanonical != b.Metadata.SpaceCanonical || a.Input.PaddedTo() != b.Input.PaddedTo())
        {
            throw new NasException($"{pathB}: is for {b.Metadata.Space} at {b.Metadata.Input}, but {pathA} is for {a.Metadata.Space} at {a.Metadata.Input}");
        }

        SearchSpace space = a.Space;
        (double[,] ca, _) = a.RawCostMatrix(space);
        (double[,] cb, _) = b.RawCostMatrix(space);
        var ops = new List<OpRow>();
        for (int k = 0; k < space.Candidates.Count; k++)
        {
            var ratios = new List<double>();
            double sa = 0, sb = 0;
            for (int p = 0; p < space.PositionCount; p++)
            {
                sa += ca[p, k];
                sb += cb[p, k];
                if (ca[p, k] > 0)
                {
                    ratios.Add(cb[p, k] / ca[p, k]);
                }
            }

            ops.Add(new OpRow(space.Candidates[k].Name, ratios.Count > 0 ? ratios.Median() : double.NaN, ratios.Count > 0 ? ratios.Min() : double.NaN,
                ratios.Count > 0 ? ratios.Max() : double.NaN, sa / space.PositionCount, sb / space.PositionCount));
        }

        var positions = new List<PositionRow>();
        var allA = new List<double>();
        var allB = new List<double>();
        for (int p = 0; p < space.PositionCount; p++)
        {
            double[] ra = Enumerable.Range(0, space.Candidates.Count).Select(k => ca[p, k]).ToArray();
            double[] rb = Enumerable.Range(0, space.Candidates.Count).Select(k => cb[p, k]).ToArray();
            allA.AddRange(ra);
            allB.AddRange(rb);
            string Name(double[] v, bool min) => space.Candidates[Array.IndexOf(v, min ? v.Min() : v.Max())].Name;
            positions.Add(new PositionRow(p, Correlation.Spearman(ra, rb), Name(ra, true), Name(rb, true), Name(ra, false), Name(rb, false)));
        }

        double[] valid = positions.Select(r => r.Spearman).Where(double.IsFinite).ToArray();
        return new Result(Path.GetFullPath(pathA), Path.GetFullPath(pathB), ops, positions, valid.Length > 0 ? valid.Average() : double.NaN,
            positions.Count(r => r.FastestA != r.FastestB), positions.Count(r => r.SlowestA != r.SlowestB), Correlation.Spearman(allA, allB));
    }
}
