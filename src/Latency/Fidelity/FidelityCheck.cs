using Google.Protobuf;
using Nas.Core;
using Nas.Core.Costs;
using Nas.Core.Genotypes;
using Nas.Core.Graphs;
using Nas.Core.Graphs.Passes;
using Nas.Core.IO;
using Nas.Core.Progress;
using Nas.Core.SearchSpaces;
using Nas.Deploy;
using Nas.Latency.Costs;
using Nas.Latency.Profiling;
using Nas.Latency.Tables;
using Nas.Models.SqueezeNas;
using Nas.Onnx.Export;
using Nas.Onnx.Runtime;
using Nas.Training.Plots;

namespace Nas.Latency.Fidelity;

/// <summary>
/// Does the table predict real latency? Samples random genotypes of the table's space, measures each whole network
/// end to end on the table's runtime, settings and precision (INT8/FP16 networks converted as the entries were), and compares with the table's prediction (and with MACs).
/// Genotypes are drawn across the whole cost range (a target spread evenly between the cheapest and the dearest
/// network, then a random genotype within ±5 % of it): uniformly random ops all land near the mean cost, where a
/// correlation says little. The networks are timed interleaved (each round times every network once) in at least
/// three and at most eight rounds, until the two fastest rounds of every network agree within 5 %; the fastest round
/// counts, and each row keeps its number of rounds and their spread. A calibration is stored only when it predicts
/// networks it was not fitted on better than the raw table (<see cref="LatencyCalibration.Assess"/>).
/// Networks are exported from their layer graphs with seeded weights (no TorchSharp).
/// </summary>
public static class FidelityCheck
{
    /// <param name="calibrate">Also fit measured ≈ slope·(raw table sum) + intercept on these networks and store it in the table's metadata.</param>
    /// <param name="tensorRtCache">TensorRT engine cache folder (TensorRT tables).</param>
    public static FidelityReport Run(string tablePath, int samples, int seed, string outDir, bool calibrate = false, IProgress<ProgressInfo>? progress = null, CancellationToken cancellationToken = default, string? tensorRtCache = null)
    {
        LookupTable table = LookupTable.Load(tablePath);
        if (table.Metric != CostMetrics.Latency)
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
        var settings = new ProfileSettings(table.Metadata.Threads ?? 2, table.Metadata.Warmup ?? 5, table.Metadata.Runs ?? 20, Repeats: 3, MaxRepeats: 8);
        Precision precision = EntryPrecision.Parse(table.Metadata.Precision, LookupTable.MetadataPath(tablePath));
        var options = EntryPrecision.For(new OrtOptions
        {
            Provider = Enum.TryParse(table.Metadata.Provider, true, out ExecutionProvider p) ? p : ExecutionProvider.Cpu,
            IntraOpThreads = settings.Threads,
            TensorRtCacheDir = tensorRtCache,
        }, precision);
        (double[,] blocks, double fixedCost) = table.CostMatrix(space);
        var costs = new ArchitectureCostModel(space, input, blocks, fixedCost, CostMetrics.Latency, tablePath);
        (double min, double max) = costs.Range();
        var sampler = new RandomArchitectureSampler(costs, seed);
        var genotypes = new List<Genotype>();
        var models = new List<(byte[] Model, string Source)>();
        var networkMacs = new List<long>();
        for (int i = 0; i < samples; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double target = min + ((max - min) * (i + 0.5) / samples);
            Genotype g = SpreadSample(sampler, target);
            LayerGraph graph = SqueezeNasGraphs.Network(new NamedGenotype($"sample-{i}", g, table.Metadata.Classes));
            byte[] model = LayerGraphExporter.Export(graph, RandomWeights.For(graph, seed + i), input.Height, input.Width).ToByteArray();
            models.Add((EntryPrecision.Apply(model, precision, $"sample {i}"), $"sample {i}"));
            networkMacs.Add(GraphCost.Compute(graph, input.Height, input.Width).Macs);

            genotypes.Add(g);
            progress?.Report(new ProgressInfo("check", i + 1, samples + 1, $"exported sample {i + 1}"));
        }

        // All networks are timed interleaved (each round times every network), so load on the machine hits them alike.
        IReadOnlyList<LatencyStats> timings = OrtProfiler.ProfileInterleaved(models, options, settings, cancellationToken);
        var rows = new List<FidelityRow>();
        for (int i = 0; i < samples; i++)
        {
            Genotype g = genotypes[i];
            LatencyStats stats = timings[i];
            double predicted = table.Predict(g);
            rows.Add(new FidelityRow(i, g.CanonicalString, networkMacs[i], predicted, table.PredictRaw(g), stats.Median, stats.P10, stats.P90,
                (predicted - stats.Median) / stats.Median * 100, stats.Rounds, stats.RoundSpread * 100));
        }

        progress?.Report(new ProgressInfo("check", samples + 1, samples + 1, $"timed {samples} networks"));

        FidelityStats tableStats = FidelityStats.Compute(rows.Select(r => r.PredictedMs).ToArray(), rows.Select(r => r.MeasuredMs).ToArray());

        // MACs as predictor: latency ≈ a·MACs + b fitted on the same samples (raw MACs have no time unit).
        double[] macs = rows.Select(r => (double)r.Macs).ToArray();
        double[] measured = rows.Select(r => r.MeasuredMs).ToArray();
        (double b0, double b1) = MathNet.Numerics.Fit.Line(macs, measured);
        FidelityStats macStats = FidelityStats.Compute(macs.Select(m => b0 + (b1 * m)).ToArray(), measured);

        CalibrationAssessment? calibration = null;
        if (calibrate)
        {
            // Kept only when it predicts networks it was not fitted on better than the raw table does.
            (double[,] rawBlocks, double rawFixed) = table.RawCostMatrix(space);
            double cheapestRaw = new ArchitectureCostModel(space, input, rawBlocks, rawFixed, CostMetrics.Latency, tablePath).Range().Min;
            calibration = LatencyCalibration.Assess(rows.Select(r => r.PredictedRawMs).ToArray(), measured, cheapestRaw);
            LatencyCalibration fit = calibration.Fit;
            if (calibration.Accepted)
            {
                table.WithCalibration(fit.Slope, fit.Intercept, $"nas lut check --calibrate: {fit.Method} fit on {samples} networks, seed {seed}, {DateTime.UtcNow:O}; {calibration.Verdict}").Save(tablePath);
            }
        }

        var report = new FidelityReport(Path.GetFullPath(tablePath), table.Metadata.Runtime, table.Metadata.Provider ?? "cpu", settings.Threads, table.Metadata.Input, tableStats, macStats, rows, calibration);
        Directory.CreateDirectory(outDir);
        AtomicFile.Write(Path.Combine(outDir, "fidelity.csv"), stream =>
        {
            using CsvHelper.CsvWriter csv = CsvHelper.CsvWriter.Create(stream, new CsvHelper.CsvWriterOptions(), leaveOpen: true);
            csv.WriteRecords(rows);
        });
        NasJson.WriteFile(Path.Combine(outDir, "fidelity.json"), report);
        double lo = Math.Min(rows.Min(r => r.PredictedMs), rows.Min(r => r.MeasuredMs)) * 0.9;
        double hi = Math.Max(rows.Max(r => r.PredictedMs), rows.Max(r => r.MeasuredMs)) * 1.1;
        RunPlots.Scatter(Path.Combine(outDir, "fidelity.png"), $"Table prediction vs measured ({report.Runtime}/{report.Provider} {EntryPrecision.Name(precision)}, {report.Threads} threads, {report.Input})",
            "predicted latency (ms)", "measured latency (ms)",
        [
            ("table prediction", rows.Select(r => r.PredictedMs).ToArray(), measured),
            ("MACs (fitted line)", macs.Select(m => b0 + (b1 * m)).ToArray(), measured),
        ],
            ([lo, hi], [lo, hi]),
            "y = x");
        return report;
    }

    /// <summary>
    /// A network near <paramref name="target"/>: within ±5 % when the space has one there, else the nearest of many
    /// random draws (a small space's measured costs can be lumpy, with no network near an evenly spaced target).
    /// </summary>
    private static Genotype SpreadSample(RandomArchitectureSampler sampler, double target)
    {
        try
        {
            return sampler.Sample(target, 1)[0];
        }
        catch (NasException)
        {
            return sampler.Nearest(target);
        }
    }
}
