namespace Nas.Core.Graphs;

/// <summary>
/// What one node costs for one image. <see cref="Macs"/> follows the SqueezeNAS convention (convolutions and transposed
/// convolutions only); <see cref="Flops"/> counts every operation: 2 per multiply-accumulate and the element-wise work
/// of the other nodes (see each node's <c>Cost</c>).
/// </summary>
public readonly record struct NodeCost(long Macs, long Flops)
{
    public static NodeCost operator +(NodeCost a, NodeCost b) => new(a.Macs + b.Macs, a.Flops + b.Flops);

    public static NodeCost Elementwise(ValueShape output, int flopsPerElement) => new(0, output.Elements * flopsPerElement);
}
