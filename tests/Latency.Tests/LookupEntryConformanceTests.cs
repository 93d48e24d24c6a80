using Nas.Core.SearchSpaces;
using Nas.Latency.Tables;
using Nas.Supernet;
using Nas.TorchTestSupport;

namespace Nas.Latency.Tests;

/// <summary>
/// Every lookup-table entry of every built-in space — each candidate at each position, and the stem, last conv and head
/// extracted from the supernet graph — exports to ONNX, runs in ONNX Runtime and equals the same sub-graph run by
/// TorchSharp (random BatchNorm statistics).
/// </summary>
public class LookupEntryConformanceTests
{
    [Theory]
    [InlineData("small", 64, 128)]
    [InlineData("large", 64, 96)]
    [InlineData("xlarge", 64, 96)]
    public void Every_entry_exports_runs_and_matches_torchsharp(string space, int height, int width)
    {
        TorchRuntime.SetThreads(2);
        var failures = new List<string>();
        foreach ((LutEntrySpec entry, _) in LookupTableRows.UniqueEntries(LookupTableLayout.For(SearchSpaceCatalog.Resolve(space), new InputSize(height, width), 19)))
        {
            double[] d = GraphConformance.Compare(entry.SubGraph, entry.InShapes, seed: entry.Key.Length);
            if (d.Any(v => !(v < 1e-4)))
            {
                failures.Add($"{entry.Key}: {d.Max():E2}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("; ", failures));
    }
}
