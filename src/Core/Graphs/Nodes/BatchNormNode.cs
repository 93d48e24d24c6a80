namespace Nas.Core.Graphs.Nodes;

/// <summary>
/// 2-D batch normalisation with PyTorch's tensors: <c>weight</c> (γ), <c>bias</c> (β), buffers <c>running_mean</c>,
/// <c>running_var</c> and the int64 scalar <c>num_batches_tracked</c>.
/// </summary>
[NodeKind("batch-norm")]
public sealed record BatchNormNode : Node
{
    public required int Channels { get; init; }

    public double Eps { get; init; } = 1e-5;

    public double Momentum { get; init; } = 0.1;

    public override IReadOnlyList<ParameterSpec> Parameters =>
    [
        new("weight", [Channels], ParameterRole.Scale),
        new("bias", [Channels], ParameterRole.Shift),
        new("running_mean", [Channels], ParameterRole.RunningMean),
        new("running_var", [Channels], ParameterRole.RunningVar),
        new("num_batches_tracked", [], ParameterRole.BatchCounter, ElementType.Int64),
    ];

    public override int[] OutputChannels(IReadOnlyList<int> inputChannels)
    {
        if (!(Eps > 0) || !(Momentum is >= 0 and <= 1))
        {
            throw Error($"eps ({Eps}) must be > 0 and momentum ({Momentum}) in [0, 1]");
        }

        ExpectChannels(inputChannels, 0, Channels, "batch norm");
        return [Channels];
    }

    public override ValueShape[] InferShapes(IReadOnlyList<ValueShape> inputs) => [inputs[0]];

    public override NodeCost Cost(IReadOnlyList<ValueShape> inputs, IReadOnlyList<ValueShape> outputs) => NodeCost.Elementwise(outputs[0], 2);
}
