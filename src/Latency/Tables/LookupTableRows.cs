using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using Nas.Core.SearchSpaces;
using Nas.Latency.Profiling;

namespace Nas.Latency.Tables;

/// <summary>Builds rows and metadata in the table schema.</summary>
public static class LookupTableRows
{
    /// <summary>
    /// One row per unique key; <paramref name="positions"/> are all block positions sharing it (written "1;2;3"),
    /// because identical (op, shape) entries are measured once.
    /// </summary>
    public static LookupTableRow Create(LutEntrySpec e, IEnumerable<int> positions, double cost, string unit, LatencyStats? stats) => new(
        e.Key,
        e.PartName,
        string.Join(';', positions.Select(p => p.ToString(CultureInfo.InvariantCulture))),
        e.OpName,
        LutKeys.Shape(e.InShape),
        LutKeys.Shape(e.OutShape),
        e.Stride,
        cost,
        unit,
        Format(stats?.Median),
        Format(stats?.P10),
        Format(stats?.P90),
        Format(stats?.Mean),
        Format(stats?.Std),
        stats?.Runs.ToString(CultureInfo.InvariantCulture) ?? string.Empty);

    public static LookupTableMetadata Metadata(SearchSpace space, InputSize input, int classes, string unit, string runtime) => new()
    {
        Space = space.Name,
        SpaceCanonical = space.CanonicalString,
        SpaceDefinition = SearchSpaceCatalog.TryGet(space.Name) is SearchSpace b && b.Equals(space) ? null : space.Definition,
        Input = input.ToString(),
        Classes = classes,
        Unit = unit,
        Runtime = runtime,
        CreatedUtc = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        ToolVersion = typeof(LookupTableRows).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0",
        Host = $"{RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture}",
        Device = DeviceInfo.Describe(),
    };

    /// <summary>The layout's entries grouped by key: (first spec, positions sharing the key).</summary>
    public static IReadOnlyList<(LutEntrySpec Spec, IReadOnlyList<int> Positions)> UniqueEntries(IReadOnlyList<LutEntrySpec> layout) =>
        layout.GroupBy(e => e.Key, StringComparer.Ordinal)
            .Select(g => (g.First(), (IReadOnlyList<int>)g.Where(e => e.Position is not null).Select(e => e.Position!.Value).ToArray()))
            .ToArray();

    private static string Format(double? v) => v?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty;
}
