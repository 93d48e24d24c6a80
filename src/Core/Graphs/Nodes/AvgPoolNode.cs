namespace Nas.Core.Graphs.Nodes;

/// <summary>
/// Average pooling (PyTorch <c>AvgPool2d</c>). With <see cref="ClampWindow"/> the window shrinks per axis to the padded
/// input when the input is smaller than the window — the SqueezeNAS LR-ASPP gate pools 49×49 at strides (16, 20),
/// defined only for maps of at least 49×49 (inputs from 784×784); smaller maps pool globally along that axis.
/// </summary>
[NodeKind("avg-pool")]
public sealed record AvgPoolNode : Node
{
    public required Pair Kernel { get; init; }

    public required Pair Stride { get; init; }

    public Pair Padding { get; init; } = 0;

    public bool CeilMode { get; init; }

    public bool CountIncludePad { get; init; } = true;

    public bool ClampWindow { get; init; }

    /// <summary>The window actually used at an input size (differs from <see cref="Kernel"/> only with <see cref="ClampWindow"/>).</summary>
    public Pair WindowFor(ValueShape input) => ClampWindow
        ? new Pair(Math.Min(Kernel.H, input.Height + (2 * Padding.H)), Math.Min(Kernel.W, input.Width + (2 * Padding.W)))
        : Kernel;

    public override int[] OutputChannels(IReadOnlyList<int> inputChannels)
    {
        if (Kernel.H < 1 || Kernel.W < 1 || Stride.H < 1 || Stride.W < 1 || Padding.H < 0 || Padding.W < 0
            || Padding.H * 2 > Kernel.H || Padding.W * 2 > Kernel.W)
        {
            throw Error($"kernel {Kernel} and stride {Stride} must be >= 1 and padding {Padding} at most half the kernel");
        }

        return Same(inputChannels);
    }

    public override ValueShape[] InferShapes(IReadOnlyList<ValueShape> inputs)
    {
        ValueShape x = inputs[0];
        Pair k = WindowFor(x);
        int h = ShapeMath.SlidingOutput(x.Height, k.H, Stride.H, Padding.H, 1, CeilMode);
        int w = ShapeMath.SlidingOutput(x.Width, k.W, Stride.W, Padding.W, 1, CeilMode);
        if (h < 1 || w < 1)
        {
            throw Error($"input {x} is smaller than the {k} window");
        }

        return [x with { Height = h, Width = w }];
    }

    public override NodeCost Cost(IReadOnlyList<ValueShape> inputs, IReadOnlyList<ValueShape> outputs)
    {
        Pair k = WindowFor(inputs[0]);
        return NodeCost.Elementwise(outputs[0], k.H * k.W);
    }
}
