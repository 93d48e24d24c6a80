namespace Nas.Core.Graphs.Nodes;

/// <summary>PReLU with <see cref="Slopes"/> learned slopes (1, or one per channel): tensor <c>weight</c> [slopes].</summary>
[NodeKind("prelu")]
public sealed record PReluNode : Node
{
    public required int Slopes { get; init; }

    public override IReadOnlyList<ParameterSpec> Parameters => [new("weight", [Slopes], ParameterRole.Slope)];

    public override int[] OutputChannels(IReadOnlyList<int> inputChannels)
    {
        if (Slopes != 1 && Slopes != inputChannels[0])
        {
            throw Error($"has {Slopes} slopes; it needs 1 or one per input channel ({inputChannels[0]})");
        }

        return Same(inputChannels);
    }

    public override ValueShape[] InferShapes(IReadOnlyList<ValueShape> inputs) => [inputs[0]];

    public override NodeCost Cost(IReadOnlyList<ValueShape> inputs, IReadOnlyList<ValueShape> outputs) => NodeCost.Elementwise(outputs[0], 2);
}
