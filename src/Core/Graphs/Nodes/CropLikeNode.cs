namespace Nas.Core.Graphs.Nodes;

/// <summary>
/// Crops input 0 to the spatial size of input 1 (only its shape is used) starting at (<see cref="OffsetH"/>,
/// <see cref="OffsetW"/>): Caffe's Crop layer, and the crop of padded logits back to the image size.
/// </summary>
[NodeKind("crop-like")]
public sealed record CropLikeNode : Node
{
    public override int InputArity => 2;

    public int OffsetH { get; init; }

    public int OffsetW { get; init; }

    public override int[] OutputChannels(IReadOnlyList<int> inputChannels)
    {
        if (OffsetH < 0 || OffsetW < 0)
        {
            throw Error($"offset ({OffsetH}, {OffsetW}) must be >= 0");
        }

        return Same(inputChannels);
    }

    public override ValueShape[] InferShapes(IReadOnlyList<ValueShape> inputs)
    {
        ValueShape x = inputs[0], reference = inputs[1];
        if (OffsetH + reference.Height > x.Height || OffsetW + reference.Width > x.Width)
        {
            throw Error($"cannot crop {reference.Height}x{reference.Width} at offset ({OffsetH}, {OffsetW}) from {x}");
        }

        return [x with { Height = reference.Height, Width = reference.Width }];
    }

    public override NodeCost Cost(IReadOnlyList<ValueShape> inputs, IReadOnlyList<ValueShape> outputs) => default;
}
