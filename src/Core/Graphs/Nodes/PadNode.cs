namespace Nas.Core.Graphs.Nodes;

/// <summary>Zero padding of the spatial borders and/or extra zero channels after the existing ones (ENet's main branch).</summary>
[NodeKind("pad")]
public sealed record PadNode : Node
{
    public int Top { get; init; }

    public int Bottom { get; init; }

    public int Left { get; init; }

    public int Right { get; init; }

    public int ChannelsAfter { get; init; }

    public override int[] OutputChannels(IReadOnlyList<int> inputChannels)
    {
        if (Top < 0 || Bottom < 0 || Left < 0 || Right < 0 || ChannelsAfter < 0)
        {
            throw Error("padding must be >= 0");
        }

        return [inputChannels[0] + ChannelsAfter];
    }

    public override ValueShape[] InferShapes(IReadOnlyList<ValueShape> inputs)
    {
        ValueShape x = inputs[0];
        return [x with { Channels = x.Channels + ChannelsAfter, Height = x.Height + Top + Bottom, Width = x.Width + Left + Right }];
    }

    public override NodeCost Cost(IReadOnlyList<ValueShape> inputs, IReadOnlyList<ValueShape> outputs) => default;
}
