using Nas.Core.Graphs;
using Nas.Core.SearchSpaces;

namespace Nas.Latency.Tables;

/// <summary>The analytic MAC table of a space (cost = MACs of each entry's sub-graph, SqueezeNAS convention), in the lookup-table schema.</summary>
public static class MacTableBuilder
{
    public static LookupTable Build(SearchSpace space, InputSize input, int classes)
    {
        var rows = new List<LookupTableRow>();
        foreach ((LutEntrySpec e, IReadOnlyList<int> positions) in LookupTableRows.UniqueEntries(LookupTableLayout.For(space, input, classes)))
        {
            long macs = GraphCost.Compute(e.SubGraph.InferShapes(e.InShapes)).Macs;
            rows.Add(LookupTableRows.Create(e, positions, macs, "macs", null));
        }

        return new LookupTable(LookupTableRows.Metadata(space, input, classes, "macs", "analytic"), rows);
    }
}
