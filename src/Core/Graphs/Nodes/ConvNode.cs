namespace Nas.Core.Graphs.Nodes;

/// <summary>2-D convolution (PyTorch <c>Conv2d</c>): tensors <c>weight</c> [out, in/groups, kH, kW] and, with <see cref="Bias"/>, <c>bias</c>.</summary>
[NodeKind("conv")]
public sealed record ConvNode : Node
{
    public required int InChannels { get; init; }

    public required int OutChannels { get; init; }

    public required Pair Kernel { get; init; }

    public Pair Stride { get; init; } = 1;

    public Pair Padding { get; init; } = 0;

    public Pair Dilation { get; init; } = 1;

    public int Groups { get; init; } = 1;

    public bool Bias { get; init; }

    public override IReadOnlyList<ParameterSpec> Parameters => Bias
        ? [new("weight", [OutChannels, InChannels / Groups, Kernel.H, Kernel.W], ParameterRole.Weight), new("bias", [OutChannels], ParameterRole.Bias)]
        : [new("weight", [OutChannels, InChannels / Groups, Kernel.H, Kernel.W], ParameterRole.Weight)];

    public override int[] OutputChannels(IReadOnlyList<int> inputChannels)
    {
        if (InChannels < 1 || OutChannels < 1 || Groups < 1 || InChannels % Groups != 0 || OutChannels % Groups != 0)
        {
            throw Error($"groups {Groups} must divide the input ({InChannels}) and output ({OutChannels}) channels, all >= 1");
        }

        if (Kernel.H < 1 || Kernel.W < 1 || Stride.H < 1 || Stride.W < 1 || Dilation.H < 1 || Dilation.W < 1 || Padding.H < 0 || Padding.W < 0)
        {
            throw Error($"kernel {Kernel}, stride {Stride}, dilation {Dilation} must be >= 1 and padding {Padding} >= 0");
        }

        ExpectChannels(inputChannels, 0, InChannels, "the convolution");
        return [OutChannels];
    }

    public override ValueShape[] InferShapes(IReadOnlyList<ValueShape> inputs)
    {
        ValueShape x = inputs[0];
        int h = ShapeMath.SlidingOutput(x.Height, Kernel.H, Stride.H, Padding.H, Dilation.H);
        int w = ShapeMath.SlidingOutput(x.Width, Kernel.W, Stride.W, Padding.W, Dilation.W);
        if (h < 1 || w < 1)
        {
            throw Error($"input {x} is too small for kernel {Kernel}, dilation {Dilation}, padding {Padding} (output would be {h}x{w})");
        }

        return [new ValueShape(OutChannels, h, w)];
    }

    public override NodeCost Cost(IReadOnlyList<ValueShape> inputs, IReadOnlyList<ValueShape> outputs)
    {
        long macs = outputs[0].Elements * Kernel.H * Kernel.W * (InChannels / Groups);
        return new NodeCost(macs, (2 * macs) + (Bias ? outputs[0].Elements : 0));
    }
}
