namespace Nas.Core.Graphs.Nodes;

/// <summary>
/// Max unpooling (PyTorch <c>MaxUnpool2d</c>): inputs (values, indices from a <see cref="MaxPoolNode"/>, a size
/// reference whose spatial size is the output size — usually the pooling's input); every other position is zero.
/// <see cref="Kernel"/>, <see cref="Stride"/> and <see cref="Padding"/> are those of the pooling.
/// </summary>
[NodeKind("max-unpool")]
public sealed record MaxUnpoolNode : Node
{
    public required Pair Kernel { get; init; }

    public required Pair Stride { get; init; }

    public Pair Padding { get; init; } = 0;

    public override int InputArity => 3;

    public override int[] OutputChannels(IReadOnlyList<int> inputChannels)
    {
        if (inputChannels[0] != inputChannels[1])
        {
            throw Error($"values have {inputChannels[0]} channels but indices {inputChannels[1]}");
        }

        return Same(inputChannels);
    }

    public override ValueShape[] InferShapes(IReadOnlyList<ValueShape> inputs)
    {
        ValueShape x = inputs[0], indices = inputs[1], reference = inputs[2];
        if (indices.Type != ElementType.Int64 || indices.Height != x.Height || indices.Width != x.Width || indices.Channels != x.Channels)
        {
            throw Error($"indices {indices} ({indices.Type}) do not match the values {x}");
        }

        if (reference.Height < x.Height || reference.Width < x.Width)
        {
            throw Error($"output size {reference.Height}x{reference.Width} is smaller than the pooled input {x}");
        }

        return [x with { Height = reference.Height, Width = reference.Width }];
    }

    public override NodeCost Cost(IReadOnlyList<ValueShape> inputs, IReadOnlyList<ValueShape> outputs) => NodeCost.Elementwise(inputs[0], 1);
}
