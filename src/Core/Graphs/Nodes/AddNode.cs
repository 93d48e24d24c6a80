namespace Nas.Core.Graphs.Nodes;

/// <summary>Element-wise sum of two values of the same shape (residuals, feature fusion).</summary>
[NodeKind("add")]
public sealed record AddNode : Node
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
        if (inputs[0] != inputs[1])
        {
            throw Error($"input shapes differ: {inputs[0]} vs {inputs[1]}");
        }

        return [inputs[0]];
    }

    public override NodeCost Cost(IReadOnlyList<ValueShape> inputs, IReadOnlyList<ValueShape> outputs) => NodeCost.Elementwise(outputs[0], 1);
}
