namespace Nas.Core.Graphs.Nodes;

/// <summary>2-D transposed convolution (PyTorch <c>ConvTranspose2d</c>): <c>weight</c> [in, out/groups, kH, kW], optional <c>bias</c>.</summary>
[NodeKind("conv-transpose")]
public sealed record ConvTransposeNode : Node
{
    public required int InChannels { get; init; }

    public required int OutChannels { get; init; }

    public required Pair Kernel { get; init; }

    public Pair Stride { get; init; } = 1;

    public Pair Padding { get; init; } = 0;

    public Pair OutputPadding { get; init; } = 0;

    public int Groups { get; init; } = 1;

    public bool Bias { get; init; }

    public override IReadOnlyList<ParameterSpec> Parameters => Bias
        ? [new("weight", [InChannels, OutChannels / Groups, Kernel.H, Kernel.W], ParameterRole.Weight), new("bias", [OutChannels], ParameterRole.Bias)]
        : [new("weight", [InChannels, OutChannels / Groups, Kernel.H, Kernel.W], ParameterRole.Weight)];

    public override int[] OutputChannels(IReadOnlyList<int> inputChannels)
    {
        if (InChannels < 1 || OutChannels < 1 || Groups < 1 || InChannels % Groups != 0 || OutChannels % Groups != 0)
        {
            throw Error($"groups {Groups} must divide the input ({InChannels}) and output ({OutChannels}) channels, all >= 1");
        }

        if (Kernel.H < 1 || Kernel.W < 1 || Stride.H < 1 || Stride.W < 1 || Padding.H < 0 || Padding.W < 0
            || OutputPadding.H < 0 || OutputPadding.W < 0 || OutputPadding.H >= Stride.H || OutputPadding.W >= Stride.W)
        {
            throw Error($"kernel {Kernel} and stride {Stride} must be >= 1, padding {Padding} >= 0 and output padding {OutputPadding} in [0, stride)");
        }

        ExpectChannels(inputChannels, 0, InChannels, "the transposed convolution");
        return [OutChannels];
    }

    public override ValueShape[] InferShapes(IReadOnlyList<ValueShape> inputs)
    {
        ValueShape x = inputs[0];
        int h = ShapeMath.TransposedOutput(x.Height, Kernel.H, Stride.H, Padding.H, OutputPadding.H);
        int w = ShapeMath.TransposedOutput(x.Width, Kernel.W, Stride.W, Padding.W, OutputPadding.W);
        if (h < 1 || w < 1)
        {
            throw Error($"input {x} gives a non-positive output {h}x{w}");
        }

        return [new ValueShape(OutChannels, h, w)];
    }

    public override NodeCost Cost(IReadOnlyList<ValueShape> inputs, IReadOnlyList<ValueShape> outputs)
    {
        // Every input element is multiplied into kH·kW·out/groups outputs.
        long macs = inputs[0].Elements * Kernel.H * Kernel.W * (OutChannels / Groups);
        return new NodeCost(macs, (2 * macs) + (Bias ? outputs[0].Elements : 0));
    }
}
