using System.Globalization;
using Nas.Core;
using Nas.Core.Costs;
using Nas.Core.IO;
using Nas.Core.Progress;
using Nas.Latency.Profiling;
using Nas.Latency.Tables;
using Nas.Onnx.Runtime;

namespace Nas.Latency.Kits;

/// <summary>
/// Measures a device kit with ONNX Runtime only — this class and everything it calls use no TorchSharp type, so it
/// runs from a self-contained linux-arm64 publish on a Jetson. Rows are written after every entry; rerunning with the
/// same output resumes.
/// </summary>
public static class KitRunner
{
    public static LookupTable Run(string kitDirectory, OrtOptions options, ProfileSettings settings, string outputCsv, IProgress<ProgressInfo>? progress = null, CancellationToken cancellationToken = default)
    {
        string manifestPath = Path.Combine(kitDirectory, KitManifest.FileName);
        KitManifest manifest = NasJson.ReadFile<KitManifest>(manifestPath);
        var meta = new LookupTableMetadata
        {
            Space = manifest.Space,
            SpaceCanonical = manifest.SpaceCanonical,
            SpaceDefinition = manifest.SpaceDefinition,
            Input = manifest.Input,
            Classes = manifest.Classes,
            Unit = CostMetrics.Latency.TableUnit,
            Runtime = "ort",
            Provider = options.Provider.ToString().ToLowerInvariant(),
            Precision = EntryPrecision.Name(EntryPrecision.Parse(manifest.Precision, manifestPath)),
            Threads = settings.Threads,
            Warmup = settings.Warmup,
            Runs = settings.Runs,
            CreatedUtc = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ToolVersion = manifest.ToolVersion,
            Host = $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription} {System.Runtime.InteropServices.RuntimeInformation.OSArchitecture}",
            Device = DeviceInfo.Describe(),
        };

        options = EntryPrecision.For(options, EntryPrecision.Parse(manifest.Precision, manifestPath));
        var done = new Dictionary<string, LookupTableRow>(StringComparer.Ordinal);
        if (File.Exists(outputCsv))
        {
            using var reader = CsvHelper.CsvReader.FromFile(outputCsv, new CsvHelper.CsvReaderOptions(), FileOptions.SequentialScan);
            foreach (LookupTableRow row in reader.GetRecords<LookupTableRow>())
            {
                done[row.Key] = row;
            }
        }

        meta = meta with { RunOverheadMs = RunOverhead.MeasureOrt(options, settings).Median };
        int count = done.Count;
        foreach (KitEntry entry in manifest.Entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (done.ContainsKey(entry.Key))
            {
                continue;
            }

            string file = Path.Combine(kitDirectory, entry.File);
            if (!File.Exists(file))
            {
                throw new NasException($"{manifestPath}: entry '{entry.Key}' refers to missing file '{file}'");
            }

            LatencyStats stats = OrtProfiler.Profile(File.ReadAllBytes(file), options, settings, file);
            done[entry.Key] = ToRow(entry, stats);
            new LookupTable(meta, manifest.Entries.Where(e => done.ContainsKey(e.Key)).Select(e => done[e.Key]).ToArray()).Save(outputCsv);
            progress?.Report(new ProgressInfo("run-kit", ++count, manifest.Entries.Count, entry.Key));
        }

        var table = new LookupTable(meta, manifest.Entries.Select(e => done[e.Key]).ToArray());
        table.Save(outputCsv);
        return table;
    }

    private static LookupTableRow ToRow(KitEntry e, LatencyStats s)
    {
        static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        return new LookupTableRow(e.Key, e.Part, string.Join(';', e.Positions), e.Op, e.InShape, e.OutShape, e.Stride, s.Median, CostMetrics.Latency.TableUnit,
            F(s.Median), F(s.P10), F(s.P90), F(s.Mean), F(s.Std), s.Runs.ToString(CultureInfo.InvariantCulture));
    }
}
