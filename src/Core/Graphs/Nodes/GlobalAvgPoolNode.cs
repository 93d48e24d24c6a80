namespace Nas.Core.Graphs.Nodes;

/// <summary>Average over the whole spatial extent: C×H×W → C×1×1 (PyTorch <c>AdaptiveAvgPool2d(1)</c>).</summary>
[NodeKind("global-avg-pool")]
public sealed record GlobalAvgPoolNode : Node
{
    public override int[] OutputChannels(IReadOnlyList<int> inputChannels) => Same(inputChannels);

    public override ValueShape[] InferShapes(IReadOnlyList<ValueShape> inputs) => [inputs[0] with { Height = 1, Width = 1 }];

    public override NodeCost Cost(IReadOnlyList<ValueShape> inputs, IReadOnlyList<ValueShape> outputs) => NodeCost.Elementwise(inputs[0], 1);
}
