using Nas.Core;
using Nas.Core.Costs;
using Nas.Core.Graphs;
using Nas.Core.SearchSpaces;

namespace Nas.Latency.Tables;

/// <summary>
/// The table of an analytic cost metric (MACs, FLOPs) for a space, in the lookup-table schema: each entry's cost is the
/// metric of the entry's own sub-graph, so analytic and measured tables are read, checked and summed the same way.
/// </summary>
public static class AnalyticTableBuilder
{
    public static LookupTable Build(CostMetric metric, SearchSpace space, InputSize input, int classes)
    {
        if (!metric.IsAnalytic)
        {
            throw new NasException($"'{metric.Name}' is measured, not computed: profile a table with 'nas lut profile' (or 'lut kit' + 'lut run-kit' on the device)");
        }

        var rows = new List<LookupTableRow>();
        foreach ((LutEntrySpec e, IReadOnlyList<int> positions) in LookupTableRows.UniqueEntries(LookupTableLayout.For(space, input, classes)))
        {
            double cost = metric.Analytic(e.SubGraph.InferShapes(e.InShapes))!.Value;
            rows.Add(LookupTableRows.Create(e, positions, cost, metric.TableUnit, null));
        }

        return new LookupTable(LookupTableRows.Metadata(space, input, classes, metric.TableUnit, "analytic"), rows);
    }
}
