using System.Globalization;
using System.Text;
using Nas.Core.IO;
using Nas.Data.Datasets;
using Nas.Data.Images;
using Nas.Data.Transforms;
using Nas.Retrain.Prediction;
using Nas.Retrain.Training;
using Nas.Search.Runs;
using Nas.Supernet.Checkpoints;
using Nas.Supernet.Networks;
using Nas.Training.Data;
using Nas.Training.Plots;
using Nas.Training.Runs;
using Nas.Weights.Checkpoints;
using SkiaSharp;

namespace Nas.Cli.Demo;

/// <summary>
/// Writes <c>report.md</c> and its plots from the demo's results. The report states what was measured, not what was
/// planned: images used, stage wall times against the budget, and it flags what a reader must not take at face value
/// (a network over its target, a latency table that predicts badly, unstable timings, a rejected calibration).
/// </summary>
public static class DemoReport
{
    /// <summary>Mean absolute prediction error (percent) above which the report flags the latency predictions.</summary>
    public const double LargePredictionErrorPercent = 20;

    /// <summary>A kept calibration whose slope is above this factor (or below its inverse) is flagged as a sign of disturbed timings.</summary>
    public const double SuspiciousCalibrationSlope = 2;

    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    public static void WritePlots(string outDir, DemoSummary summary, DataConfig data)
    {
        string plots = Path.Combine(outDir, "plots");
        Directory.CreateDirectory(plots);
        IReadOnlyList<DemoNetworkResult> nets = summary.Networks;
        RunPlots.Scatter(Path.Combine(plots, "pareto.png"), "Measured latency vs val mIoU (ORT CPU, 2 threads)", "measured latency (ms)", "val mIoU (%)",
            nets.GroupBy(n => n.Kind).Select(g => (g.Key, g.Select(n => n.MeasuredMs).ToArray(), g.Select(n => n.Miou * 100).ToArray())).ToArray(),
            annotations: nets.Select(n => (n.MeasuredMs, n.Miou * 100, n.Name)).ToArray());
        // Only networks of the search space have a table prediction (the zoo baselines are measured only).
        DemoNetworkResult[] predicted = nets.Where(n => n.PredictedMs is not null).ToArray();
        double lo = predicted.Min(n => Math.Min(n.PredictedMs!.Value, n.MeasuredMs)) * 0.9, hi = predicted.Max(n => Math.Max(n.PredictedMs!.Value, n.MeasuredMs)) * 1.1;
        RunPlots.Scatter(Path.Combine(plots, "latency-prediction.png"), "Latency table prediction vs measured", "predicted (ms)", "measured (ms)",
            predicted.GroupBy(n => n.Kind).Select(g => (g.Key, g.Select(n => n.PredictedMs!.Value).ToArray(), g.Select(n => n.MeasuredMs).ToArray())).ToArray(),
            ([lo, hi], [lo, hi]), "y = x");
        var curves = new List<(string, double[], double[])>();
        foreach (DemoNetworkResult n in nets)
        {
            var rows = new MetricsCsv<TrainEpochRow>(Path.Combine(outDir, n.TrainRun, "metrics.csv"), r => r.Epoch).ReadAll();
            curves.Add((n.Name, rows.Select(r => (double)r.Epoch).ToArray(), rows.Select(r => r.ValMiou * 100).ToArray()));
        }

        RunPlots.Lines(Path.Combine(plots, "training-curves.png"), "Validation mIoU during training", "epoch", "val mIoU (%)", curves, width: 950);
        WriteExamples(outDir, Path.Combine(plots, "examples.png"), nets, data);
    }

    public static void WriteMarkdown(string outDir, DemoSummary summary) =>
        AtomicFile.WriteAllText(Path.Combine(outDir, "report.md"), Markdown(summary, SearchEndStates(outDir, summary.Targets.Targets.Count)));

    /// <summary>The report text; <paramref name="searchEnds"/> holds each search's final expected cost (NaN when unknown).</summary>
    internal static string Markdown(DemoSummary s, IReadOnlyList<double> searchEnds)
    {
        var md = new StringBuilder();
        string F(double v, string f) => v.ToString(f, s_inv);
        string Min(double seconds) => F(seconds / 60, "F1") + " min";
        DemoPlan plan = s.Plan;
        DemoSizing sizing = s.Sizing;
        DemoDataUse data = s.Data;
        md.AppendLine("# Nas demo report");
        md.AppendLine();
        if (s.OverBudget)
        {
            md.AppendLine($"> ⚠ **The demo took {Min(s.TotalSeconds)}, {Min(s.TotalSeconds - plan.Budget.TotalSeconds)} more than its budget of {plan.Minutes} min.** " +
                (sizing.FitsBudget
                    ? "The epochs were sized to fit, so the machine slowed down during the run (other processes on its cores?); the stage times below show where the time went."
                    : "Even the fewest epochs did not fit: this machine was slower than the budget allows (other processes on its cores?). Give a larger `--minutes` or run it on quiet cores."));
        }
        else
        {
            md.AppendLine($"**Wall time {Min(s.TotalSeconds)} for a budget of {plan.Minutes} min** (measured; stage times below).");
        }

        md.AppendLine();
        md.AppendLine($"- **Data**: {data.Generated} synthetic rail scenes at {plan.Height}x{plan.Width}, all used: {data.Train} for training " +
            $"(the searches split them into {data.SearchWeights} for weight and {data.SearchArchitecture} for architecture updates) and {data.Val} for validation.");
        md.AppendLine($"- **Budget split**: timed on this machine before sizing: {F(sizing.Steps.SearchStep, "F3")} s per search step (+{F(sizing.Steps.SearchRun, "F1")} s per search), " +
            $"{F(sizing.Steps.TrainStep, "F3")} s per training step (+{F(sizing.Steps.TrainRun, "F1")} s per training), {F(sizing.Steps.EvalImage, "F3")} s per validation image. Of the {F(Math.Max(0, sizing.AvailableSeconds), "F0")} s left for searching and training, the searches got " +
            $"{sizing.SearchEpochs} epochs each ({sizing.SearchWarmup} warm-up; single-path, target latency loss; ~{F(sizing.PlannedSearchSeconds, "F0")} s planned) and every network " +
            $"{sizing.TrainEpochs} training epochs (~{F(sizing.PlannedTrainSeconds, "F0")} s planned)" +
            (sizing.FitsBudget ? "." : " — **the minimum, which did not fit the budget**."));
        md.AppendLine($"- **Latency table**: `tables/{Path.GetFileName(s.Table)}`, measured in this run (ONNX Runtime CPU, 2 threads). Its networks range from " +
            $"{F(s.Targets.Min, "F2")} to {F(s.Targets.Max, "F2")} ms; a search starts at an expected {F(s.Targets.Start, "F2")} ms, so the targets " +
            $"({string.Join(", ", s.Targets.Targets.Select(t => F(t, "F2")))} ms) lie below it, where the target loss binds.");
        if (s.Calibration is { } cal)
        {
            md.AppendLine($"- **Calibration** (8 random networks timed end to end): {(cal.Accepted ? cal.Verdict : "⚠ " + cal.Verdict)}.");
            if (cal.Accepted && (cal.Fit.Slope > SuspiciousCalibrationSlope || cal.Fit.Slope < 1 / SuspiciousCalibrationSlope))
            {
                md.AppendLine($"  ⚠ **It scales the table by {F(cal.Fit.Slope, "F2")}**: blocks timed alone and whole networks rarely disagree this much unless the machine was busy while one of them was timed; treat every latency here with suspicion and rerun on quiet cores.");
            }
        }

        md.AppendLine();
        md.AppendLine("## Stage times");
        md.AppendLine();
        md.AppendLine("| stage | what | wall time |");
        md.AppendLine("|---|---|---:|");
        foreach (DemoStageTime t in s.Stages)
        {
            string runs = t.Invocations > 1 ? $" ({t.Invocations} invocations)" : string.Empty;
            md.AppendLine($"| {t.Stage} | {t.Title} | {F(t.Seconds, "F0")} s{runs} |");
        }

        md.AppendLine($"| **total** | budget {plan.Minutes} min | **{Min(s.TotalSeconds)}** |");
        md.AppendLine();
        md.AppendLine("## Networks");
        md.AppendLine();
        md.AppendLine("Predicted latency comes from the table; measured latency is the median of the fastest of several timing rounds in which every network was timed in turn " +
            "(p10–p90 of that round; ⚠ when the two fastest rounds disagreed by more than 5 %). mIoU and pixel accuracy are on the validation split after the last epoch.");
        md.AppendLine();
        md.AppendLine("| network | kind | target (ms) | predicted (ms) | vs target | measured (ms, p10–p90) | rounds (spread) | GMACs | params (M) | val mIoU | pixel acc. |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (DemoNetworkResult n in s.Networks)
        {
            string vsTarget = n.TargetExcessPercent is double e
                ? (e > DemoWorkflow.TargetTolerancePercent ? $"⚠ **+{F(e, "F0")} %**" : $"{(e >= 0 ? "+" : string.Empty)}{F(e, "F0")} %")
                : "–";
            string rounds = $"{n.MeasurementRounds} ({(n.MeasurementStable ? string.Empty : "⚠ ")}{F(n.MeasurementSpread * 100, "F0")} %)";
            md.AppendLine($"| {n.Name} | {n.Kind} | {(n.TargetMs is double t ? F(t, "F2") : "–")} | {(n.PredictedMs is double p ? F(p, "F2") : "–")} | {vsTarget} | " +
                $"{F(n.MeasuredMs, "F2")} ({F(n.MeasuredP10Ms, "F2")}–{F(n.MeasuredP90Ms, "F2")}) | {rounds} | {F(n.Macs / 1e9, "F3")} | {F(n.Params / 1e6, "F3")} | " +
                $"{F(n.Miou * 100, "F1")} % | {F(n.PixelAccuracy * 100, "F1")} % |");
        }

        md.AppendLine();
        md.AppendLine("## Findings");
        md.AppendLine();
        for (int i = 0; i < s.Targets.Targets.Count; i++)
        {
            double target = s.Targets.Targets[i];
            DemoNetworkResult? searched = s.Networks.FirstOrDefault(n => n.Kind == "searched" && n.TargetMs == target);
            double[] random = s.Networks.Where(n => n.Kind == "random" && n.TargetMs == target).Select(n => n.Miou).Order().ToArray();
            if (searched is null)
            {
                continue;
            }

            var line = new StringBuilder($"- Target {F(target, "F2")} ms: ");
            if (i < searchEnds.Count && double.IsFinite(searchEnds[i]))
            {
                line.Append($"the search ended at an expected {F(searchEnds[i], "F2")} ms; ");
            }

            double excess = searched.TargetExcessPercent!.Value;
            line.Append(excess > DemoWorkflow.TargetTolerancePercent
                ? $"the derived network is predicted at {F(searched.PredictedMs ?? double.NaN, "F2")} ms, **⚠ {F(excess, "F0")} % over its target** (the comparison below favours it: the random networks keep to the target). "
                : $"the derived network is predicted at {F(searched.PredictedMs ?? double.NaN, "F2")} ms ({(excess >= 0 ? "+" : string.Empty)}{F(excess, "F0")} % of the target). ");
            if (random.Length > 0)
            {
                double median = random.Length % 2 == 1 ? random[random.Length / 2] : (random[(random.Length / 2) - 1] + random[random.Length / 2]) / 2;
                line.Append(searched.Miou >= median
                    ? $"Its {F(searched.Miou * 100, "F1")} % mIoU is at least as good as the median random network drawn at the same target ({F(median * 100, "F1")} % over {random.Length})."
                    : $"Its {F(searched.Miou * 100, "F1")} % mIoU is **worse** than the median random network drawn at the same target ({F(median * 100, "F1")} % over {random.Length}): with this budget the search did not beat random sampling here.");
            }

            md.AppendLine(line.ToString());
        }

        foreach (DemoNetworkResult b in s.Networks.Where(n => n.Kind.StartsWith("baseline", StringComparison.Ordinal)))
        {
            // The question a user asks of a hand-designed network: does a searched one match it at no more latency?
            DemoNetworkResult? rival = s.Networks.Where(n => n.Kind == "searched" && n.MeasuredMs <= b.MeasuredMs).MaxBy(n => n.Miou);
            md.AppendLine(rival is null
                ? $"- Baseline {b.Name}: {F(b.MeasuredMs, "F2")} ms measured, {F(b.Miou * 100, "F1")} % mIoU; no searched network is as fast (the targets lie below or above it)."
                : rival.Miou >= b.Miou
                    ? $"- Baseline {b.Name}: {F(b.MeasuredMs, "F2")} ms measured, {F(b.Miou * 100, "F1")} % mIoU; {rival.Name} matches or beats it at {F(rival.MeasuredMs, "F2")} ms with {F(rival.Miou * 100, "F1")} %."
                    : $"- Baseline {b.Name}: {F(b.MeasuredMs, "F2")} ms measured, {F(b.Miou * 100, "F1")} % mIoU; the best searched network at no more latency, {rival.Name}, reaches {F(rival.Miou * 100, "F1")} % at {F(rival.MeasuredMs, "F2")} ms: **the hand-designed network is better here**.");
        }

        double[] errors = s.Networks.Where(n => n.PredictionErrorPercent is not null).Select(n => Math.Abs(n.PredictionErrorPercent!.Value)).ToArray();
        double mape = errors.Average();
        if (mape > LargePredictionErrorPercent)
        {
            int unstable = s.Networks.Count(n => !n.MeasurementStable);
            md.AppendLine($"- ⚠ **The latency table predicts these networks poorly: mean absolute error {F(mape, "F0")} % (largest {F(errors.Max(), "F0")} %).** " +
                "Read the predicted column and the targets as rough; the measured column is what the networks cost here. " +
                (unstable > 0
                    ? $"{unstable} of {s.Networks.Count} networks did not time stably, which points at a busy machine: rerun the demo on quiet cores."
                    : "Per-block timings at this small input size do not add up to whole networks well (per-call overhead, fusions across blocks); a larger input or a calibration helps."));
        }
        else
        {
            md.AppendLine($"- The latency table predicts these networks with a mean absolute error of {F(mape, "F1")} % (largest {F(errors.Max(), "F1")} %); they were not used to fit the calibration.");
        }

        if (s.Networks.Any(n => !n.MeasurementStable))
        {
            md.AppendLine($"- ⚠ {s.Networks.Count(n => !n.MeasurementStable)} of {s.Networks.Count} networks did not time stably (the two fastest rounds differ by more than 5 %); their spread is in the table.");
        }

        md.AppendLine();
        md.AppendLine("## Plots");
        md.AppendLine();
        md.AppendLine("![latency vs mIoU](plots/pareto.png)");
        md.AppendLine();
        md.AppendLine("![prediction vs measurement](plots/latency-prediction.png)");
        md.AppendLine();
        md.AppendLine("![training curves](plots/training-curves.png)");
        md.AppendLine();
        md.AppendLine("Example validation images: the image, its ground truth, then one row per network (in table order) with its validation mIoU.");
        md.AppendLine();
        md.AppendLine("![examples](plots/examples.png)");
        md.AppendLine();
        md.AppendLine("Each search: expected and argmax cost per epoch against its target, and the final op probabilities (rows: positions, columns: candidates).");
        md.AppendLine();
        for (int i = 0; i < s.Targets.Targets.Count; i++)
        {
            md.AppendLine($"![search {i + 1} cost](search/target-{i + 1}/plots/cost.png)");
            md.AppendLine($"![search {i + 1} probabilities](search/target-{i + 1}/plots/probabilities.png)");
            md.AppendLine();
        }

        md.AppendLine("## Reproduce a stage");
        md.AppendLine();
        md.AppendLine("Every stage is a normal command on the folders above, e.g. `./nas search --config search/target-1/config.json -o search/target-1 --resume`, " +
            "`./nas train --config train/<network>/config.json -o train/<network> --resume`, `./nas eval --checkpoint train/<network>/checkpoints/last.ckpt --dataset synthetic --root data --split val`, " +
            "`./nas lut check --table tables/" + Path.GetFileName(s.Table) + " --samples 30 -o lut-check`. `timing/` holds the short runs the epochs were sized from.");
        return md.ToString();
    }

    /// <summary>The final expected cost of each search (last row of its metrics.csv), NaN when it cannot be read.</summary>
    private static double[] SearchEndStates(string outDir, int searches)
    {
        var ends = new double[searches];
        for (int i = 0; i < searches; i++)
        {
            string metrics = Path.Combine(outDir, "search", $"target-{i + 1}", "metrics.csv");
            IReadOnlyList<SearchEpochRow> rows = File.Exists(metrics) ? new MetricsCsv<SearchEpochRow>(metrics, r => r.Epoch).ReadAll() : [];
            ends[i] = rows.Count > 0 ? rows[^1].ExpectedCost : double.NaN;
        }

        return ends;
    }

    /// <summary>
    /// A grid of example validation images: a label column on the left, one column per image; the rows are the image,
    /// its ground truth and each network's prediction (with its mIoU); below, a legend of the classes that appear.
    /// </summary>
    private static void WriteExamples(string outDir, string path, IReadOnlyList<DemoNetworkResult> nets, DataConfig data)
    {
        SegmentationDataset val = data.Open(data.ValSplit);
        int images = Math.Min(3, val.Count);
        IReadOnlyList<(byte R, byte G, byte B)> palette = val.Info.Palette;
        SegmentationSample[] samples = Enumerable.Range(0, images).Select(i => val.Load(i)).ToArray();
        var rows = new List<(string Title, RgbImage[] Tiles)>
        {
            ("image", samples.Select(s => s.Image).ToArray()),
            ("ground truth", samples.Select(s => PredictWorkflow.Colourise(s.Label, palette, null)).ToArray()),
        };
        var present = new SortedSet<int>(samples.SelectMany(s => s.Label.Indices).Select(i => (int)i));
        foreach (DemoNetworkResult n in nets)
        {
            using NetworkModule network = CheckpointFile.Load(Path.Combine(outDir, n.Checkpoint)).CreateNetwork();
            network.eval();
            var predictions = samples.Select(s => PredictWorkflow.Predict(network, s.Image, new TransformOptions().For(network.Spec.Input), null)).ToArray();
            present.UnionWith(predictions.SelectMany(p => p.Indices).Select(i => (int)i));
            rows.Add(($"{n.Name}\nval mIoU {(n.Miou * 100).ToString("F1", s_inv)} %", predictions.Select(p => PredictWorkflow.Colourise(p, palette, null)).ToArray()));
        }

        const int gap = 4, labelWidth = 190, swatch = 14, legendRow = 22;
        int w = samples[0].Image.Width, h = samples[0].Image.Height;
        int gridWidth = labelWidth + (images * (w + gap)) + gap;
        using var font = new SKFont(SKTypeface.Default, 13);
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };

        // The legend: every class that appears in the ground truth or a prediction, wrapped to the grid's width.
        var legend = new List<(int X, int Y, int Class)>();
        int lx = gap, ly = 0;
        foreach (int c in present)
        {
            string name = c == DatasetInfo.IgnoreIndex ? "ignore" : val.Info.Classes[c].Name;
            int itemWidth = swatch + 6 + (int)font.MeasureText(name) + 16;
            if (lx + itemWidth > gridWidth && lx > gap)
            {
                lx = gap;
                ly += legendRow;
            }

            legend.Add((lx, ly, c));
            lx += itemWidth;
        }

        int gridHeight = (rows.Count * (h + gap)) + gap;
        int legendTop = gridHeight + 8;
        using var sheet = new SKBitmap(gridWidth, legendTop + ly + legendRow + gap);
        using var canvas = new SKCanvas(sheet);
        canvas.Clear(SKColors.White);
        for (int r = 0; r < rows.Count; r++)
        {
            int top = gap + (r * (h + gap));
            string[] lines = rows[r].Title.Split('\n');
            for (int l = 0; l < lines.Length; l++)
            {
                canvas.DrawText(lines[l], gap, top + (h / 2) + 5 + ((l - ((lines.Length - 1) / 2.0f)) * 17), font, text);
            }

            for (int c = 0; c < images; c++)
            {
                using SKBitmap tile = ImageCodec.ToBitmap(rows[r].Tiles[c]);
                canvas.DrawBitmap(tile, labelWidth + (c * (w + gap)), top);
            }
        }

        foreach ((int x, int y, int c) in legend)
        {
            (byte cr, byte cg, byte cb) = c < palette.Count ? palette[c] : ((byte)0, (byte)0, (byte)0);
            using var fill = new SKPaint { Color = new SKColor(cr, cg, cb), IsAntialias = false };
            using var border = new SKPaint { Color = SKColors.Gray, Style = SKPaintStyle.Stroke };
            var box = new SKRect(x, legendTop + y, x + swatch, legendTop + y + swatch);
            canvas.DrawRect(box, fill);
            canvas.DrawRect(box, border);
            string name = c == DatasetInfo.IgnoreIndex ? "ignore" : val.Info.Classes[c].Name;
            canvas.DrawText(name, x + swatch + 6, legendTop + y + swatch - 2, font, text);
        }

        ImageCodec.Write(path, sheet);
    }
}
