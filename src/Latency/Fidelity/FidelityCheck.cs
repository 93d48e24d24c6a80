using Google.Protobuf;
using Nas.Core;
using Nas.Core.Costs;
using Nas.Core.Genotypes;
using Nas.Core.IO;
using Nas.Core.Progress;
using Nas.Core.SearchSpaces;
using Nas.Latency.Profiling;
using Nas.Latency.Tables;
using Nas.Onnx.Runtime;
using Nas.Supernet.Export;
using Nas.Supernet.Networks;
using Nas.Training.Plots;
using static TorchSharp.torch;

namespace Nas.Latency.Fidelity;

/// <summary>
/// Does the table predict real latency? Samples random genotypes of the table's space, measures each whole network
/// end to end on the table's runtime and settings, and compares with the table's prediction (and with MACs).
/// </summary>
public static class FidelityCheck
{
    public static FidelityReport Run(string tablePath, int samples, int seed, string outDir, IProgress<ProgressInfo>? progress = null, CancellationToken cancellationToken = default)
    {
        LookupTable table = LookupTable.Load(tablePath);
        if (table.Unit != "ms")
        {
            throw new NasException($"{tablePath}: a fidelity check needs a latency table (unit ms), not '{table.Unit}'");
        }

        if (table.Metadata.Runtime != "ort")
        {
            throw new NasException($"{tablePath}: the fidelity check measures networks with ONNX Runtime; this table was measured with '{table.Metadata.Runtime}'");
        }

        if (samples < 3)
        {
            throw new NasException($"--samples must be >= 3 (got {samples})");
        }

        SearchSpace space = table.Space;
        InputSize input = table.Input;
        var settings = new ProfileSettings(table.Metadata.Threads ?? 2, table.Metadata.Warmup ?? 5, table.Metadata.Runs ?? 20);
        var options = new OrtOptions
        {
            Provider = Enum.TryParse(table.Metadata.Provider, true, out ExecutionProvider p) ? p : ExecutionProvider.Cpu,
            IntraOpThreads = settings.Threads,
        };
        var rng = new Random(seed);
        var rows = new List<FidelityRow>();
        for (int i = 0; i < samples; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Genotype g = Genotype.FromIndices(space, Enumerable.Range(0, space.PositionCount).Select(_ => rng.Next(space.Candidates.Count)).ToArray());
            LatencyStats stats;
            using (NewDisposeScope())
            using (var network = new SqueezeNasNetwork(new NamedGenotype($"sample-{i}", g, table.Metadata.Classes)))
            {
                network.eval();
                byte[] model = OnnxExporter.Export(network, 1, input.Height, input.Width).ToByteArray();
                stats = OrtProfiler.Profile(model, options, settings, $"sample {i}");
            }

            double predicted = table.Predict(g);
            rows.Add(new FidelityRow(i, g.CanonicalString, MacCounter.Count(g, table.Metadata.Classes, input).TotalMacs, predicted, stats.Median, stats.P10, stats.P90,
                (predicted - stats.Median) / stats.Median * 100));
            progress?.Report(new ProgressInfo("check", i + 1, samples, $"predicted {predicted:F2} ms, measured {stats.Median:F2} ms"));
        }

        FidelityStats tableStats = FidelityStats.Compute(rows.Select(r => r.PredictedMs).ToArray(), rows.Select(r => r.MeasuredMs).ToArray());

        // MACs as predictor: latency ≈ a·MACs + b fitted on the same samples (raw MACs have no time unit).
        double[] macs = rows.Select(r => (double)r.Macs).ToArray();
        double[] measured = rows.Select(r => r.MeasuredMs).ToArray();
        (double b0, double b1) = MathNet.Numerics.Fit.Line(macs, measured);
        FidelityStats macStats = FidelityStats.Compute(macs.Select(m => b0 + (b1 * m)).ToArray(), measured);

        var report = new FidelityReport(Path.GetFullPath(tablePath), table.Metadata.Runtime, table.Metadata.Provider ?? "cpu", settings.Threads, table.Metadata.Input, tableStats, macStats, rows);
        Directory.CreateDirectory(outDir);
        AtomicFile.Write(Path.Combine(outDir, "fidelity.csv"), stream =>
        {
            using CsvHelper.CsvWriter csv = CsvHelper.CsvWriter.Create(stream, new CsvHelper.CsvWriterOptions(), leaveOpen: true);
            csv.WriteRecords(rows);
        });
        NasJson.WriteFile(Path.Combine(outDir, "fidelity.json"), report with { Networks = [] });
        double lo = Math.Min(rows.Min(r => r.PredictedMs), rows.Min(r => r.MeasuredMs)) * 0.9;
        double hi = Math.Max(rows.Max(r => r.PredictedMs), rows.Max(r => r.MeasuredMs)) * 1.1;
        RunPlots.Scatter(Path.Combine(outDir, "fidelity.png"), $"Table prediction vs measured ({report.Runtime}/{report.Provider}, {report.Threads} threads, {report.Input})",
            "predicted latency (ms)", "measured latency (ms)",
        [
            ("table prediction", rows.Select(r => r.PredictedMs).ToArray(), measured),
            ("MACs (fitted line)", macs.Select(m => b0 + (b1 * m)).ToArray(), measured),
        ],
            ([lo, hi], [lo, hi]),
            "y = x");
        return report;
    }
}
