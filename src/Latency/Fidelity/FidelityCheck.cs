using Google.Protobuf;
using Nas.Core;
using Nas.Core.Costs;
using Nas.Core.Genotypes;
using Nas.Core.IO;
using Nas.Core.Progress;
using Nas.Core.SearchSpaces;
using Nas.Latency.Costs;
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
/// Genotypes are drawn across the whole cost range (a target spread evenly between the cheapest and the dearest
/// network, then a random genotype within ±5 % of it): uniformly random ops all land near the mean cost, where a
/// correlation says little. Each network is timed in three repeats and the repeat with the lowest median counts.
/// </summary>
public static class FidelityCheck
{
    /// <param name="calibrate">Also fit measured ≈ slope·(raw table sum) + intercept on these networks and store it in the table's metadata.</param>
    public static FidelityReport Run(string tablePath, int samples, int seed, string outDir, bool calibrate = false, IProgress<ProgressInfo>? progress = null, CancellationToken cancellationToken = default)
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
        var settings = new ProfileSettings(table.Metadata.Threads ?? 2, table.Metadata.Warmup ?? 5, table.Metadata.Runs ?? 20, Repeats: 3);
        var options = new OrtOptions
        {
            Provider = Enum.TryParse(table.Metadata.Provider, true, out ExecutionProvider p) ? p : ExecutionProvider.Cpu,
            IntraOpThreads = settings.Threads,
        };
        var rows = new List<FidelityRow>();
        (double[,] blocks, double fixedCost) = table.CostMatrix(space);
        var costs = new ArchitectureCostModel(space, input, blocks, fixedCost, "ms", tablePath);
        (double min, double max) = costs.Range();
        var sampler = new RandomArchitectureSampler(costs, seed);
        for (int i = 0; i < samples; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double target = min + ((max - min) * (i + 0.5) / samples);
            Genotype g = sampler.Sample(target, 1)[0];
            LatencyStats stats;
            using (NewDisposeScope())
            using (var network = new SqueezeNasNetwork(new NamedGenotype($"sample-{i}", g, table.Metadata.Classes)))
            {
                network.eval();
                byte[] model = OnnxExporter.Export(network, 1, input.Height, input.Width).ToByteArray();
                stats = OrtProfiler.Profile(model, options, settings, $"sample {i}");
            }

            double predicted = table.Predict(g);
            rows.Add(new FidelityRow(i, g.CanonicalString, MacCounter.Count(g, table.Metadata.Classes, input).TotalMacs, predicted, table.PredictRaw(g), stats.Median, stats.P10, stats.P90,
                (predicted - stats.Median) / stats.Median * 100));
            progress?.Report(new ProgressInfo("check", i + 1, samples, $"predicted {predicted:F2} ms, measured {stats.Median:F2} ms"));
        }

        FidelityStats tableStats = FidelityStats.Compute(rows.Select(r => r.PredictedMs).ToArray(), rows.Select(r => r.MeasuredMs).ToArray());

        // MACs as predictor: latency ≈ a·MACs + b fitted on the same samples (raw MACs have no time unit).
        double[] macs = rows.Select(r => (double)r.Macs).ToArray();
        double[] measured = rows.Select(r => r.MeasuredMs).ToArray();
        (double b0, double b1) = MathNet.Numerics.Fit.Line(macs, measured);
        FidelityStats macStats = FidelityStats.Compute(macs.Select(m => b0 + (b1 * m)).ToArray(), measured);

        if (calibrate)
        {
            (double[,] rawBlocks, double rawFixed) = table.RawCostMatrix(space);
            double cheapestRaw = new ArchitectureCostModel(space, input, rawBlocks, rawFixed, "ms", tablePath).Range().Min;
            LatencyCalibration fit = LatencyCalibration.Fit(rows.Select(r => r.PredictedRawMs).ToArray(), measured, cheapestRaw);
            table.WithCalibration(fit.Slope, fit.Intercept, $"nas lut check --calibrate: {fit.Method} fit on {samples} networks, seed {seed}, {DateTime.UtcNow:O}").Save(tablePath);
        }

        var report = new FidelityReport(Path.GetFullPath(tablePath), table.Metadata.Runtime, table.Metadata.Provider ?? "cpu", settings.Threads, table.Metadata.Input, tableStats, macStats, rows);
        Directory.CreateDirectory(outDir);
        AtomicFile.Write(Path.Combine(outDir, "fidelity.csv"), stream =>
        {
            using CsvHelper.CsvWriter csv = CsvHelper.CsvWriter.Create(stream, new CsvHelper.CsvWriterOptions(), leaveOpen: true);
            csv.WriteRecords(rows);
        });
        NasJson.WriteFile(Path.Combine(outDir, "fidelity.json"), report);
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
