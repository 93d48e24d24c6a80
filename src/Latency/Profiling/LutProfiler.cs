using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Nas.Core;
using Nas.Core.Costs;
using Nas.Core.Graphs.Passes;
using Nas.Core.Progress;
using Nas.Core.SearchSpaces;
using Nas.Deploy;
using Nas.Latency.Tables;
using Nas.Onnx.Export;
using Nas.Onnx.Runtime;

namespace Nas.Latency.Profiling;

/// <summary>
/// Measures a latency lookup table: every unique (op, shape) entry of a space at an input size plus the stem, last
/// conv and head, on ONNX Runtime (the deployment runtime; CPU, CUDA or TensorRT provider; FP32, FP16 or INT8
/// entries, see <see cref="EntryPrecision"/>) or TorchSharp. The
/// table is rewritten atomically after every entry, so an interrupted run resumes: rows already in the output are
/// kept (when the settings match) and only the missing entries are measured.
/// </summary>
public sealed class LutProfiler(ILogger<LutProfiler>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<LutProfiler>.Instance;

    public LookupTable Profile(
        SearchSpace space,
        InputSize input,
        int classes,
        string runtime,
        OrtOptions ortOptions,
        ProfileSettings settings,
        string outputCsv,
        IProgress<ProgressInfo>? progress = null,
        CancellationToken cancellationToken = default,
        Precision precision = Precision.Fp32)
    {
        settings.Validate();
        if (runtime != "ort" && precision != Precision.Fp32)
        {
            throw new NasException($"--precision {EntryPrecision.Name(precision)} needs --runtime ort (TorchSharp runs FP32 only)");
        }

        ortOptions = EntryPrecision.For(ortOptions, precision);
        if (runtime is not ("ort" or "torch"))
        {
            throw new NasException($"--runtime must be ort or torch (got '{runtime}')");
        }

        var unique = LookupTableRows.UniqueEntries(LookupTableLayout.For(space, input, classes));
        LookupTableMetadata meta = LookupTableRows.Metadata(space, input, classes, CostMetrics.Latency.TableUnit, runtime) with
        {
            Provider = runtime == "ort" ? ortOptions.Provider.ToString().ToLowerInvariant() : "cpu",
            Precision = EntryPrecision.Name(precision),
            Threads = settings.Threads,
            Warmup = settings.Warmup,
            Runs = settings.Runs,
        };
        Dictionary<string, LookupTableRow> done = Resume(outputCsv, meta);
        if (done.Count > 0)
        {
            _logger.LogInformation("resuming {Table}: {Done} of {Total} entries already measured", outputCsv, done.Count, unique.Count);
        }

        double overhead = runtime == "ort"
            ? RunOverhead.MeasureOrt(ortOptions, settings).Median
            : 0.0;
        meta = meta with { RunOverheadMs = overhead };
        int count = done.Count;
        foreach ((LutEntrySpec spec, IReadOnlyList<int> positions) in unique)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (done.ContainsKey(spec.Key))
            {
                continue;
            }

            LatencyStats stats = Measure(space, spec, classes, runtime, ortOptions, settings, precision);
            done[spec.Key] = LookupTableRows.Create(spec, positions, stats.Median, CostMetrics.Latency.TableUnit, stats);
            new LookupTable(meta, unique.Where(u => done.ContainsKey(u.Spec.Key)).Select(u => done[u.Spec.Key]).ToArray()).Save(outputCsv);
            progress?.Report(new ProgressInfo("profile", ++count, unique.Count, spec.Key));
        }

        var table = new LookupTable(meta, unique.Select(u => done[u.Spec.Key]).ToArray());
        table.Save(outputCsv);
        return table;
    }

    /// <summary>Times one entry's sub-graph with freshly initialised weights: exported to ONNX (at the given precision) for ONNX Runtime, or run by TorchSharp.</summary>
    public static LatencyStats Measure(SearchSpace space, LutEntrySpec spec, int classes, string runtime, OrtOptions ortOptions, ProfileSettings settings, Precision precision = Precision.Fp32) =>
        runtime == "ort"
            ? OrtProfiler.Profile(EntryModel(spec, precision), ortOptions, settings, spec.Key)
            : TorchProfiler.Profile(spec.SubGraph, spec.InShapes, settings);

    /// <summary>The ONNX model of an entry at a precision (seeded random weights; the values do not change the timing).</summary>
    public static byte[] EntryModel(LutEntrySpec spec, Precision precision = Precision.Fp32) =>
        EntryPrecision.Apply(LayerGraphExporter.Export(spec.SubGraph, RandomWeights.For(spec.SubGraph), spec.InShapes, new OnnxExportOptions
        {
            Metadata = new Dictionary<string, string> { ["part"] = spec.Key },
        }).ToByteArray(), precision, spec.Key);

    private Dictionary<string, LookupTableRow> Resume(string csv, LookupTableMetadata meta)
    {
        var rows = new Dictionary<string, LookupTableRow>(StringComparer.Ordinal);
        string metaPath = LookupTable.MetadataPath(csv);
        if (!File.Exists(csv) || !File.Exists(metaPath))
        {
            return rows;
        }

        LookupTableMetadata existing = Core.IO.NasJson.ReadFile<LookupTableMetadata>(metaPath);
        if (existing.SpaceCanonical != meta.SpaceCanonical || existing.Input != meta.Input || existing.Runtime != meta.Runtime
            || existing.Provider != meta.Provider || existing.Threads != meta.Threads || existing.Classes != meta.Classes
            || EntryPrecision.Parse(existing.Precision, metaPath) != EntryPrecision.Parse(meta.Precision, metaPath))
        {
            throw new NasException($"{csv} already holds a table with other settings ({existing.Space} {existing.Input} {existing.Runtime}/{existing.Provider} {existing.Precision ?? "fp32"} {existing.Threads} threads); choose another -o or delete it");
        }

        using var reader = CsvHelper.CsvReader.FromFile(csv, new CsvHelper.CsvReaderOptions(), FileOptions.SequentialScan);
        foreach (LookupTableRow row in reader.GetRecords<LookupTableRow>())
        {
            rows[row.Key] = row;
        }

        _logger.LogInformation("kept {Rows} rows of {Csv}", rows.Count, csv);
        return rows;
    }
}
