namespace Nas.Core.Graphs.Nodes;

/// <summary>Dropout in training only (the identity at inference and in exports); <see cref="Channelwise"/> = PyTorch <c>Dropout2d</c> (spatial dropout).</summary>
[NodeKind("dropout")]
public sealed record DropoutNode : Node
{
    public required double P { get; init; }

    public bool Channelwise { get; init; }

    public override int[] OutputChannels(IReadOnlyList<int> inputChannels)
    {
        if (!(P is >= 0 and < 1))
        {
            throw Error($"p must be in [0, 1) (got {P})");
        }

        return Same(inputChannels);
    }

    public override ValueShape[] InferShapes(IReadOnlyList<ValueShape> inputs) => [inputs[0]];

    public override NodeCost Cost(IReadOnlyList<ValueShape> inputs, IReadOnlyList<ValueShape> outputs) => default;
}
