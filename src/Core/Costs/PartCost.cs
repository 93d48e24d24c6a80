namespace Nas.Core.Costs;

/// <summary>MACs and parameters of one fixed part of a network (stem, last conv, head or one of its layers).</summary>
public sealed record PartCost(string Name, long Macs, long Params)
{
    public static PartCost operator +(PartCost a, PartCost b) => new(a.Name, a.Macs + b.Macs, a.Params + b.Params);
}
