using Nas.Core.Costs;
using Nas.Core.SearchSpaces;

namespace Nas.Latency.Tables;

/// <summary>The analytic MAC table of a space (cost = MACs of the SqueezeNAS convention), in the lookup-table schema.</summary>
public static class MacTableBuilder
{
    public static LookupTable Build(SearchSpace space, InputSize input, int classes)
    {
        var rows = new List<LookupTableRow>();
        foreach ((LutEntrySpec e, IReadOnlyList<int> positions) in LookupTableRows.UniqueEntries(LookupTableLayout.For(space, input, classes)))
        {
            long macs = e.Part switch
            {
                LutPart.Block => MacCounter.Block(space.Positions[e.Position!.Value], e.Op!, input).Macs,
                LutPart.Stem => MacCounter.Stem(space, input).Macs,
                LutPart.LastConv => MacCounter.LastConv(space, input)!.Macs,
                _ => MacCounter.Head(space, classes, input).Macs,
            };
            rows.Add(LookupTableRows.Create(e, positions, macs, "macs", null));
        }

        return new LookupTable(LookupTableRows.Metadata(space, input, classes, "macs", "analytic"), rows);
    }
}
