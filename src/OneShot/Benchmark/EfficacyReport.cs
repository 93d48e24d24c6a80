using System.Globalization;
using System.Text;
using Nas.Core.IO;
using Nas.Training.Plots;

namespace Nas.OneShot.Benchmark;

/// <summary>Writes <c>efficacy.md</c> and <c>plots/pareto.png</c> from the benchmark's results.</summary>
public static class EfficacyReport
{
    /// <summary>The methods that search, in report order.</summary>
    public static readonly string[] SearchMethods = ["differentiable", "evolutionary"];

    /// <summary>Goal of issue 12: searched networks beat the median random network by at least this many mIoU points.</summary>
    public const double GoalPoints = 2.0;

    public static void Write(string dir, EfficacyResults results)
    {
        AtomicFile.WriteAllText(Path.Combine(dir, "efficacy.md"), Markdown(results));
        Plot(Path.Combine(dir, "plots", "pareto.png"), results, r => r.Cost, $"predicted cost ({results.Unit})");
        if (results.Networks.All(n => n.MeasuredMs is not null))
        {
            Plot(Path.Combine(dir, "plots", "pareto-measured.png"), results, r => r.MeasuredMs!.Value, "measured latency (ms, ONNX Runtime)");
        }
    }

    /// <summary>Mean gap (mIoU points) of a method to the median random network of the same seed and target, per seed.</summary>
    public static IReadOnlyList<double> Gaps(EfficacyResults results, string method, int target) =>
        results.Plan.Seeds.Select(seed =>
        {
            EfficacyNetwork? searched = results.Networks.FirstOrDefault(n => n.Seed == seed && n.Target == target && n.Method == method);
            double[] random = results.Networks.Where(n => n.Seed == seed && n.Target == target && n.Method == "random").Select(n => n.ValMiou).ToArray();
            return searched is null || random.Length == 0 ? double.NaN : 100 * (searched.ValMiou - Median(random));
        }).Where(double.IsFinite).ToArray();

    public static string Markdown(EfficacyResults results)
    {
        static string F(double v, string format = "F1") => double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "–";
        static string Pm(IReadOnlyList<double> v) => v.Count == 0 ? "–" : v.Count == 1 ? F(v[0]) : $"{F(v.Average())} ± {F(Std(v))}";
        EfficacyPlan p = results.Plan;
        var md = new StringBuilder();
        md.AppendLine("# Efficacy benchmark: searched vs random networks");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"{p.Images} {p.Scenes.ToString().ToLowerInvariant()} synthetic rail scenes at {p.Input} (80 % train, 10 % validation); cost: {results.Table}; " +
            $"seeds {string.Join(", ", p.Seeds)}; every network retrained from scratch for {p.RetrainEpochs} epochs (SGD 0.05, poly) and scored on the validation split after the last epoch.");
        md.AppendLine(CultureInfo.InvariantCulture, $"Differentiable: {p.SearchEpochs} epochs ({p.SearchWarmup} warm-up), target loss. Evolutionary: one supernet per seed ({p.SupernetEpochs} epochs, SPOS with strict fairness), " +
            $"population {p.Population} × {p.Generations + 1} generations per target, hard limit = target. Random: {p.RandomPerTarget} networks per target and seed with cost in 0.90–1.00 × target.");
        md.AppendLine();
        md.AppendLine("## Validation mIoU (%) per target");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"| target ({results.Unit}) | method | networks | cost (mean) |{(p.Measure ? " measured ms (mean) |" : string.Empty)} val mIoU mean ± std | gap to median random (points, mean ± std over seeds) | beats median random |");
        md.AppendLine(CultureInfo.InvariantCulture, $"|---:|---|---:|---:|{(p.Measure ? "---:|" : string.Empty)}---:|---:|---|");
        var verdicts = SearchMethods.ToDictionary(m => m, _ => true);
        for (int t = 1; t <= results.Targets.Count; t++)
        {
            foreach (string method in SearchMethods.Append("random"))
            {
                EfficacyNetwork[] rows = results.Networks.Where(n => n.Target == t && n.Method == method).ToArray();
                double[] miou = rows.Select(n => 100 * n.ValMiou).ToArray();
                string measured = p.Measure ? $" {F(rows.Select(n => n.MeasuredMs ?? double.NaN).DefaultIfEmpty(double.NaN).Average(), "F2")} |" : string.Empty;
                string gap, beats;
                if (method == "random")
                {
                    gap = miou.Length == 0 ? "–" : $"median {F(Median(miou))}, range {F(miou.Min())}–{F(miou.Max())}";
                    beats = string.Empty;
                }
                else
                {
                    IReadOnlyList<double> gaps = Gaps(results, method, t);
                    gap = Pm(gaps);
                    beats = $"{gaps.Count(g => g > 0)} of {gaps.Count} seeds";
                    verdicts[method] &= gaps.Count > 0 && gaps.Average() >= GoalPoints;
                }

                md.AppendLine(CultureInfo.InvariantCulture, $"| {F(results.Targets[t - 1], "G4")} | {method} | {rows.Length} | {F(rows.Select(n => n.Cost).DefaultIfEmpty(double.NaN).Average(), "G4")} |{measured} {Pm(miou)} | {gap} | {beats} |");
            }
        }

        md.AppendLine();
        foreach (string method in SearchMethods)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- Goal (≥ {GoalPoints:F0} mIoU points above the median random network on every target, mean over seeds), {method}: **{(verdicts[method] ? "met" : "not met")}**.");
        }

        md.AppendLine();
        md.AppendLine("## Search cost (CPU-hours: CPU time of all threads of the process, on this machine)");
        md.AppendLine();
        double Cpu(string kind) => results.Stages.Where(s => s.Kind == kind).Sum(s => s.CpuSeconds) / 3600;
        double Wall(string kind) => results.Stages.Where(s => s.Kind == kind).Sum(s => s.WallSeconds) / 3600;
        int seeds = p.Seeds.Count, targets = results.Targets.Count, searches = seeds * targets;
        md.AppendLine("| method | what is paid | CPU-h per search | wall-h per search |");
        md.AppendLine("|---|---|---:|---:|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| differentiable | one search per target (supernet training with logits included) | {F(Cpu("differentiable") / searches, "F3")} | {F(Wall("differentiable") / searches, "F3")} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| evolutionary | supernet once per seed (all targets, any device) | {F(Cpu("supernet") / seeds, "F3")} per supernet | {F(Wall("supernet") / seeds, "F3")} per supernet |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| evolutionary | evolution per target | {F(Cpu("evolutionary") / searches, "F3")} | {F(Wall("evolutionary") / searches, "F3")} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| evolutionary | amortised over the {targets} targets | {F(((Cpu("supernet") / seeds) + (Cpu("evolutionary") / seeds)) / targets, "F3")} | {F(((Wall("supernet") / seeds) + (Wall("evolutionary") / seeds)) / targets, "F3")} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| random | drawing at the target | {F(Cpu("random") / searches, "F4")} | {F(Wall("random") / searches, "F4")} |");
        int trained = results.Stages.Count(s => s.Kind == "retrain");
        md.AppendLine(CultureInfo.InvariantCulture, $"| (every method) | retraining one network ({p.RetrainEpochs} epochs) | {F(trained == 0 ? double.NaN : Cpu("retrain") / trained, "F3")} | {F(trained == 0 ? double.NaN : Wall("retrain") / trained, "F3")} |");
        md.AppendLine();
        if (results.Rank is { } rank)
        {
            md.AppendLine("## Ranking quality of the shared weights");
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"{rank.Samples} networks spread over the cost range of seed {p.Seeds[0]}'s supernet: inherited-weight mIoU (BatchNorm re-estimated) vs stand-alone mIoU after {rank.RetrainEpochs} epochs, both on the supernet's held-out images: " +
                $"Kendall τ **{F(rank.KendallTau, "F2")}**, Spearman ρ **{F(rank.SpearmanRho, "F2")}** (see rank/plots/rank.png).");
            md.AppendLine();
        }

        md.AppendLine("![searched and random networks](plots/pareto.png)");
        if (p.Measure)
        {
            md.AppendLine();
            md.AppendLine("![measured latency](plots/pareto-measured.png)");
        }

        md.AppendLine();
        md.AppendLine("## All networks");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"| seed | target | method | name | cost ({results.Unit}) |{(p.Measure ? " measured ms |" : string.Empty)} val mIoU | pixel acc. |");
        md.AppendLine(CultureInfo.InvariantCulture, $"|---:|---:|---|---|---:|{(p.Measure ? "---:|" : string.Empty)}---:|---:|");
        foreach (EfficacyNetwork n in results.Networks)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {n.Seed} | {n.Target} | {n.Method} | {n.Name} | {F(n.Cost, "G4")} |{(p.Measure ? $" {F(n.MeasuredMs ?? double.NaN, "F2")} |" : string.Empty)} {F(100 * n.ValMiou)} % | {F(100 * n.ValPixelAccuracy)} % |");
        }

        return md.ToString();
    }

    private static void Plot(string path, EfficacyResults results, Func<EfficacyNetwork, double> x, string xLabel) =>
        RunPlots.Scatter(path, "Validation mIoU after retraining vs cost", xLabel, "val mIoU (%)",
            SearchMethods.Append("random").Select(m =>
            {
                EfficacyNetwork[] rows = results.Networks.Where(n => n.Method == m).ToArray();
                return (m, rows.Select(x).ToArray(), rows.Select(n => 100 * n.ValMiou).ToArray());
            }).Where(g => g.Item2.Length > 0).ToArray());

    private static double Median(IReadOnlyList<double> values)
    {
        double[] s = values.Order().ToArray();
        return s.Length == 0 ? double.NaN : s.Length % 2 == 1 ? s[s.Length / 2] : (s[(s.Length / 2) - 1] + s[s.Length / 2]) / 2;
    }

    private static double Std(IReadOnlyList<double> values)
    {
        if (values.Count < 2)
        {
            return 0;
        }

        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
