using Nas.Core.SearchSpaces;

namespace Nas.Core.Costs;

/// <summary>The analytic cost of a whole network: per part and in total.</summary>
/// <param name="Input">The requested input size.</param>
/// <param name="RunSize">The size the network runs at (input padded to a multiple of 16).</param>
public sealed record NetworkCost(
    InputSize Input,
    InputSize RunSize,
    int Classes,
    PartCost Stem,
    IReadOnlyList<BlockCost> Blocks,
    PartCost? LastConv,
    IReadOnlyList<PartCost> HeadLayers)
{
    public PartCost Head => new("head", HeadLayers.Sum(l => l.Macs), HeadLayers.Sum(l => l.Params));

    public long TotalMacs => Stem.Macs + Blocks.Sum(b => b.Macs) + (LastConv?.Macs ?? 0) + Head.Macs;

    public long TotalParams => Stem.Params + Blocks.Sum(b => b.Params) + (LastConv?.Params ?? 0) + Head.Params;

    /// <summary>The fixed (non-searchable) MACs: stem, last conv and head.</summary>
    public long FixedMacs => Stem.Macs + (LastConv?.Macs ?? 0) + Head.Macs;
}
