namespace Nas.Core.Graphs.Nodes;

/// <summary>
/// Element-wise product of two values; either may be C×1×1 and is then broadcast over the other's spatial size
/// (squeeze-and-excitation scaling, gates).
/// </summary>
[NodeKind("mul")]
public sealed record MulNode : Node
{
    public override int InputArity => 2;

    public override int[] OutputChannels(IReadOnlyList<int> inputChannels)
    {
        if (inputChannels[0] != inputChannels[1])
        {
            throw Error($"input channels differ: {inputChannels[0]} vs {inputChannels[1]}");
        }

        return Same(inputChannels);
    }

    public override ValueShape[] InferShapes(IReadOnlyList<ValueShape> inputs)
    {
        ValueShape a = inputs[0], b = inputs[1];
        if (a == b || (b.Height == 1 && b.Width == 1))
        {
            return [a];
        }

        if (a.Height == 1 && a.Width == 1)
        {
            return [b];
        }

        throw Error($"input shapes differ and neither is Cx1x1: {a} vs {b}");
    }

    public override NodeCost Cost(IReadOnlyList<ValueShape> inputs, IReadOnlyList<ValueShape> outputs) => NodeCost.Elementwise(outputs[0], 1);
}
