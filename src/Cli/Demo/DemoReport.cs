using System.Globalization;
using System.Text;
using Nas.Core.IO;
using Nas.Data.Datasets;
using Nas.Data.Images;
using Nas.Data.Transforms;
using Nas.Retrain.Prediction;
using Nas.Retrain.Training;
using Nas.Supernet.Checkpoints;
using Nas.Supernet.Networks;
using Nas.Training.Data;
using Nas.Training.Plots;
using Nas.Training.Runs;
using SkiaSharp;

namespace Nas.Cli.Demo;

/// <summary>Writes <c>report.md</c> and its plots from the demo's results.</summary>
public static class DemoReport
{
    public static void Write(string outDir, DemoSummary summary, DataConfig data, DatasetOptions dataOptions)
    {
        string plots = Path.Combine(outDir, "plots");
        Directory.CreateDirectory(plots);
        IReadOnlyList<DemoNetworkResult> nets = summary.Networks;
        RunPlots.Scatter(Path.Combine(plots, "pareto.png"), "Measured latency vs val mIoU (ORT CPU, 2 threads)", "latency (ms)", "val mIoU",
            nets.GroupBy(n => n.Kind).Select(g => (g.Key, g.Select(n => n.MeasuredMs).ToArray(), g.Select(n => n.Miou).ToArray())).ToArray());
        double lo = nets.Min(n => Math.Min(n.PredictedMs, n.MeasuredMs)) * 0.9, hi = nets.Max(n => Math.Max(n.PredictedMs, n.MeasuredMs)) * 1.1;
        RunPlots.Scatter(Path.Combine(plots, "latency-prediction.png"), "Latency table prediction vs measured", "predicted (ms)", "measured (ms)",
            nets.GroupBy(n => n.Kind).Select(g => (g.Key, g.Select(n => n.PredictedMs).ToArray(), g.Select(n => n.MeasuredMs).ToArray())).ToArray(),
            ([lo, hi], [lo, hi]), "y = x");
        var curves = new List<(string, double[], double[])>();
        foreach (DemoNetworkResult n in nets)
        {
            var rows = new MetricsCsv<TrainEpochRow>(Path.Combine(outDir, n.TrainRun, "metrics.csv"), r => r.Epoch).ReadAll();
            curves.Add((n.Name, rows.Select(r => (double)r.Epoch).ToArray(), rows.Select(r => r.ValMiou).ToArray()));
        }

        RunPlots.Lines(Path.Combine(plots, "training-curves.png"), "Validation mIoU during retraining", "epoch", "val mIoU", curves);
        WriteExamples(outDir, Path.Combine(plots, "examples.png"), nets, data, dataOptions);
        AtomicFile.WriteAllText(Path.Combine(outDir, "report.md"), Markdown(outDir, summary));
    }

    private static string Markdown(string outDir, DemoSummary s)
    {
        var md = new StringBuilder();
        string F(double v, string f) => v.ToString(f, CultureInfo.InvariantCulture);
        md.AppendLine("# Nas demo report");
        md.AppendLine();
        md.AppendLine($"Budget {s.Plan.Minutes} min on this machine; synthetic rail scenes at {s.Plan.Height}x{s.Plan.Width} ({s.Plan.TrainImages} train / {s.Plan.ValImages} val); " +
            $"search {s.Plan.SearchEpochs} epochs (single-path, target latency loss), retraining {s.Plan.TrainEpochs} epochs for every network; latency table `{Path.GetRelativePath(outDir, s.Table)}` (ONNX Runtime CPU, 2 threads).");
        md.AppendLine();
        md.AppendLine("| network | kind | target (ms) | GMACs | params (M) | predicted (ms) | measured (ms, p10–p90) | val mIoU | pixel acc. |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (DemoNetworkResult n in s.Networks)
        {
            md.AppendLine($"| {n.Name} | {n.Kind} | {(n.TargetMs is double t ? F(t, "F2") : "–")} | {F(n.Macs / 1e9, "F3")} | {F(n.Params / 1e6, "F3")} | {F(n.PredictedMs, "F2")} | " +
                $"{F(n.MeasuredMs, "F2")} ({F(n.MeasuredP10Ms, "F2")}–{F(n.MeasuredP90Ms, "F2")}) | {F(n.Miou * 100, "F1")} % | {F(n.PixelAccuracy * 100, "F1")} % |");
        }

        md.AppendLine();
        md.AppendLine("## Findings");
        md.AppendLine();
        foreach (IGrouping<double?, DemoNetworkResult> group in s.Networks.Where(n => n.TargetMs is not null).GroupBy(n => n.TargetMs))
        {
            DemoNetworkResult? searched = group.FirstOrDefault(n => n.Kind == "searched");
            double[] random = group.Where(n => n.Kind == "random").Select(n => n.Miou).Order().ToArray();
            if (searched is null || random.Length == 0)
            {
                continue;
            }

            double median = random.Length % 2 == 1 ? random[random.Length / 2] : (random[(random.Length / 2) - 1] + random[random.Length / 2]) / 2;
            string verdict = searched.Miou >= median
                ? "at least as good as the median random network of the same predicted latency"
                : "**worse** than the median random network of the same predicted latency (an honest finding: with this budget the search did not beat random sampling here)";
            md.AppendLine($"- Target {F(group.Key!.Value, "F2")} ms: the searched network ({F(searched.MeasuredMs, "F2")} ms measured, {F(searched.Miou * 100, "F1")} % mIoU) is {verdict}: random median {F(median * 100, "F1")} % over {random.Length} network(s).");
        }

        double mape = s.Networks.Average(n => Math.Abs(n.PredictedMs - n.MeasuredMs) / n.MeasuredMs) * 100;
        md.AppendLine($"- The latency table predicts these networks with a mean absolute error of {F(mape, "F1")} % (see the latency plot).");
        md.AppendLine();
        md.AppendLine("## Plots");
        md.AppendLine();
        md.AppendLine("![latency vs mIoU](plots/pareto.png)");
        md.AppendLine();
        md.AppendLine("![prediction vs measurement](plots/latency-prediction.png)");
        md.AppendLine();
        md.AppendLine("![training curves](plots/training-curves.png)");
        md.AppendLine();
        md.AppendLine("Example validation images: image, ground truth, then each network's prediction (in table order).");
        md.AppendLine();
        md.AppendLine("![examples](plots/examples.png)");
        md.AppendLine();
        md.AppendLine("Op probabilities at the end of each search (rows: positions, columns: candidates):");
        md.AppendLine();
        foreach (string dir in Directory.GetDirectories(Path.Combine(outDir, "search")).Order(StringComparer.Ordinal))
        {
            string rel = Path.GetRelativePath(outDir, Path.Combine(dir, "plots", "probabilities.png"));
            md.AppendLine($"![{Path.GetFileName(dir)}]({rel})");
            md.AppendLine();
        }

        md.AppendLine("## Reproduce a stage");
        md.AppendLine();
        md.AppendLine("Every stage is a normal command on the folders above, e.g. `./nas search --config search/target-1/config.json -o search/target-1 --resume`, " +
            "`./nas train --config train/<network>/config.json -o train/<network> --resume`, `./nas eval --checkpoint train/<network>/checkpoints/last.ckpt --dataset synthetic --root data --split val`.");
        return md.ToString();
    }

    private static void WriteExamples(string outDir, string path, IReadOnlyList<DemoNetworkResult> nets, DataConfig data, DatasetOptions options)
    {
        SegmentationDataset val = DatasetCatalog.Open("synthetic", data.Root, "val", options);
        int images = Math.Min(3, val.Count);
        var palette = val.Info.Palette;
        var columns = new List<List<RgbImage>>();
        var samples = Enumerable.Range(0, images).Select(i => val.Load(i)).ToArray();
        columns.Add(samples.Select(s => s.Image).ToList());
        columns.Add(samples.Select(s => PredictWorkflow.Colourise(s.Label, palette, null)).ToList());
        foreach (DemoNetworkResult n in nets)
        {
            using NasCheckpoint ckpt = NasCheckpoint.Load(Path.Combine(outDir, n.Checkpoint));
            using SqueezeNasNetwork network = ckpt.CreateNetwork();
            network.eval();
            columns.Add(samples.Select(s => PredictWorkflow.Colourise(PredictWorkflow.Predict(network, s.Image, new TransformOptions(), null), palette, null)).ToList());
        }

        int w = samples[0].Image.Width, h = samples[0].Image.Height, gap = 4;
        using var sheet = new SKBitmap((columns.Count * (w + gap)) + gap, (images * (h + gap)) + gap + 18);
        using var canvas = new SKCanvas(sheet);
        canvas.Clear(SKColors.White);
        string[] titles = ["image", "ground truth", .. nets.Select(n => n.Name)];
        using var font = new SKFont(SKTypeface.Default, 12);
        using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        for (int c = 0; c < columns.Count; c++)
        {
            canvas.DrawText(titles[c], gap + (c * (w + gap)), 14, font, paint);
            for (int r = 0; r < images; r++)
            {
                using SKBitmap tile = ImageCodec.ToBitmap(columns[c][r]);
                canvas.DrawBitmap(tile, gap + (c * (w + gap)), 18 + gap + (r * (h + gap)));
            }
        }

        ImageCodec.Write(path, sheet);
    }
}
