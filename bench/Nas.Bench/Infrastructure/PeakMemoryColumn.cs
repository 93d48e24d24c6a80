using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Nas.Bench.Infrastructure;

/// <summary>
/// A column with the peak native (RSS) memory a benchmark case added over its baseline. Each case runs in its own
/// process; its GlobalCleanup records the value in a file under the temp folder, which this column reads back.
/// </summary>
public sealed class PeakMemoryColumn : IColumn
{
    public string Id => nameof(PeakMemoryColumn);

    public string ColumnName => "Peak native";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Metric;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Size;

    public string Legend => "Rise of peak resident memory (VmHWM) over the state before the first measured step";

    public static void Record(Type benchmark, string key, long bytes) =>
        File.WriteAllText(PathFor(benchmark.Name, key), bytes.ToString(CultureInfo.InvariantCulture));

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        string key = string.Join("-", benchmarkCase.Parameters.Items.Select(p => p.Value?.ToString()));
        string path = PathFor(benchmarkCase.Descriptor.Type.Name, key);
        if (!File.Exists(path))
        {
            return "n/a";
        }

        double mib = long.Parse(File.ReadAllText(path), CultureInfo.InvariantCulture) / (1024.0 * 1024.0);
        return mib.ToString("F1", CultureInfo.InvariantCulture) + " MiB";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    private static string PathFor(string type, string key) => Path.Combine(Path.GetTempPath(), $"nas-bench-peak-{type}-{key}.txt");
}
