namespace Nas.Core.Graphs.Nodes;

/// <summary>A parameter-free activation (ReLU, ReLU6, sigmoid, hard-sigmoid, hard-swish, tanh).</summary>
[NodeKind("activation")]
public sealed record ActivationNode : Node
{
    public required ActivationFunction Function { get; init; }

    public override int[] OutputChannels(IReadOnlyList<int> inputChannels) => Same(inputChannels);

    public override ValueShape[] InferShapes(IReadOnlyList<ValueShape> inputs) => [inputs[0]];

    public override NodeCost Cost(IReadOnlyList<ValueShape> inputs, IReadOnlyList<ValueShape> outputs) =>
        NodeCost.Elementwise(outputs[0], Function switch
        {
            ActivationFunction.Relu => 1,
            ActivationFunction.Relu6 => 2,
            ActivationFunction.HardSigmoid => 3,
            _ => 4,
        });
}
