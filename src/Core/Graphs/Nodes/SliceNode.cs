namespace Nas.Core.Graphs.Nodes;

/// <summary>
/// A spatial window <c>x[:, :, StartH:EndH, StartW:EndW]</c> (ends exclusive, null = to the end), e.g. the one-pixel
/// shift of FactorizedReduce.
/// </summary>
[NodeKind("slice")]
public sealed record SliceNode : Node
{
    public int StartH { get; init; }

    public int StartW { get; init; }

    public int? EndH { get; init; }

    public int? EndW { get; init; }

    public override int[] OutputChannels(IReadOnlyList<int> inputChannels)
    {
        if (StartH < 0 || StartW < 0)
        {
            throw Error($"start ({StartH}, {StartW}) must be >= 0");
        }

        return Same(inputChannels);
    }

    public override ValueShape[] InferShapes(IReadOnlyList<ValueShape> inputs)
    {
        ValueShape x = inputs[0];
        int endH = Math.Min(EndH ?? x.Height, x.Height), endW = Math.Min(EndW ?? x.Width, x.Width);
        if (endH - StartH < 1 || endW - StartW < 1)
        {
            throw Error($"window [{StartH}:{endH}, {StartW}:{endW}] of input {x} is empty");
        }

        return [x with { Height = endH - StartH, Width = endW - StartW }];
    }

    public override NodeCost Cost(IReadOnlyList<ValueShape> inputs, IReadOnlyList<ValueShape> outputs) => default;
}
