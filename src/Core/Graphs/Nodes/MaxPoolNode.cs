namespace Nas.Core.Graphs.Nodes;

/// <summary>
/// Max pooling (PyTorch <c>MaxPool2d</c>). With <see cref="ReturnIndices"/> a second int64 output holds the flat
/// index (h·W + w within each channel) of every maximum, for <see cref="MaxUnpoolNode"/>.
/// </summary>
[NodeKind("max-pool")]
public sealed record MaxPoolNode : Node
{
    public required Pair Kernel { get; init; }

    public required Pair Stride { get; init; }

    public Pair Padding { get; init; } = 0;

    public bool CeilMode { get; init; }

    public bool ReturnIndices { get; init; }

    public override int OutputCount => ReturnIndices ? 2 : 1;

    public override ElementType OutputType(int index) => index == 1 ? ElementType.Int64 : ElementType.Float32;

    public override int[] OutputChannels(IReadOnlyList<int> inputChannels)
    {
        if (Kernel.H < 1 || Kernel.W < 1 || Stride.H < 1 || Stride.W < 1 || Padding.H < 0 || Padding.W < 0
            || Padding.H * 2 > Kernel.H || Padding.W * 2 > Kernel.W)
        {
            throw Error($"kernel {Kernel} and stride {Stride} must be >= 1 and padding {Padding} at most half the kernel");
        }

        return ReturnIndices ? [inputChannels[0], inputChannels[0]] : Same(inputChannels);
    }

    public override ValueShape[] InferShapes(IReadOnlyList<ValueShape> inputs)
    {
        ValueShape x = inputs[0];
        int h = ShapeMath.SlidingOutput(x.Height, Kernel.H, Stride.H, Padding.H, 1, CeilMode);
        int w = ShapeMath.SlidingOutput(x.Width, Kernel.W, Stride.W, Padding.W, 1, CeilMode);
        if (h < 1 || w < 1)
        {
            throw Error($"input {x} is smaller than the {Kernel} window");
        }

        ValueShape y = x with { Height = h, Width = w };
        return ReturnIndices ? [y, y with { Type = ElementType.Int64 }] : [y];
    }

    public override NodeCost Cost(IReadOnlyList<ValueShape> inputs, IReadOnlyList<ValueShape> outputs) =>
        NodeCost.Elementwise(outputs[0], Kernel.H * Kernel.W);
}
