namespace Nas.Core.Graphs.Nodes;

/// <summary>Local response normalisation across channels (AlexNet, GoogLeNet; PyTorch <c>LocalResponseNorm</c>, ONNX <c>LRN</c>).</summary>
[NodeKind("lrn")]
public sealed record LocalResponseNormNode : Node
{
    public required int Size { get; init; }

    public double Alpha { get; init; } = 1e-4;

    public double Beta { get; init; } = 0.75;

    public double K { get; init; } = 1.0;

    public override int[] OutputChannels(IReadOnlyList<int> inputChannels)
    {
        if (Size < 1)
        {
            throw Error($"size must be >= 1 (got {Size})");
        }

        return Same(inputChannels);
    }

    public override ValueShape[] InferShapes(IReadOnlyList<ValueShape> inputs) => [inputs[0]];

    public override NodeCost Cost(IReadOnlyList<ValueShape> inputs, IReadOnlyList<ValueShape> outputs) => NodeCost.Elementwise(outputs[0], Size + 3);
}
