using Nas.Core.Costs;
using Nas.Core.IO;
using Nas.Core.Progress;
using Nas.Core.SearchSpaces;
using Nas.Deploy;
using Nas.Latency.Profiling;
using Nas.Latency.Tables;

namespace Nas.Latency.Kits;

/// <summary>
/// Writes a device kit: one ONNX model per unique lookup-table entry (at the requested precision) plus <c>manifest.json</c>, so the table can be
/// measured on a device that has only ONNX Runtime (a Jetson) with <c>nas lut run-kit</c>. Uses no TorchSharp.
/// </summary>
public static class KitBuilder
{
    public static KitManifest Build(SearchSpace space, InputSize input, int classes, string directory, IProgress<ProgressInfo>? progress = null, CancellationToken cancellationToken = default, Precision precision = Precision.Fp32)
    {
        Directory.CreateDirectory(directory);
        var unique = LookupTableRows.UniqueEntries(LookupTableLayout.For(space, input, classes));
        var entries = new List<KitEntry>();
        int i = 0;
        foreach ((LutEntrySpec spec, IReadOnlyList<int> positions) in unique)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string file = LutKeys.FileName(spec.Key);
            AtomicFile.WriteAllBytes(Path.Combine(directory, file), LutProfiler.EntryModel(spec, precision));
            entries.Add(new KitEntry(spec.Key, spec.PartName, positions, spec.OpName, LutKeys.Shape(spec.InShape), LutKeys.Shape(spec.OutShape), spec.Stride, file));

            progress?.Report(new ProgressInfo("kit", ++i, unique.Count, spec.Key));
        }

        LookupTableMetadata meta = LookupTableRows.Metadata(space, input, classes, CostMetrics.Latency.TableUnit, "ort");
        var manifest = new KitManifest
        {
            Space = meta.Space,
            SpaceCanonical = meta.SpaceCanonical,
            SpaceDefinition = meta.SpaceDefinition,
            Input = meta.Input,
            Classes = classes,
            Precision = EntryPrecision.Name(precision),
            CreatedUtc = meta.CreatedUtc,
            ToolVersion = meta.ToolVersion,
            Entries = entries,
        };
        NasJson.WriteFile(Path.Combine(directory, KitManifest.FileName), manifest);
        return manifest;
    }
}
