namespace Nas.Core.Graphs.Nodes;

/// <summary>
/// Zero padding at the bottom and right up to the next multiple of <see cref="Multiple"/> (networks whose skip features
/// must be exactly 2×/4× the deepest feature map); a no-op when the size already is a multiple.
/// </summary>
[NodeKind("pad-to-multiple")]
public sealed record PadToMultipleNode : Node
{
    public required int Multiple { get; init; }

    public override int[] OutputChannels(IReadOnlyList<int> inputChannels)
    {
        if (Multiple < 1)
        {
            throw Error($"multiple must be >= 1 (got {Multiple})");
        }

        return Same(inputChannels);
    }

    public override ValueShape[] InferShapes(IReadOnlyList<ValueShape> inputs)
    {
        ValueShape x = inputs[0];
        return [x with { Height = RoundUp(x.Height), Width = RoundUp(x.Width) }];
    }

    public override NodeCost Cost(IReadOnlyList<ValueShape> inputs, IReadOnlyList<ValueShape> outputs) => default;

    public int RoundUp(int size) => (int)Math.Min(((long)size + Multiple - 1) / Multiple * Multiple, int.MaxValue);
}
