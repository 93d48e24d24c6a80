namespace Nas.Core.Graphs.Nodes;

/// <summary>
/// Nearest or bilinear resize of input 0, either by integer factors (<see cref="Scale"/>; output = factor × input) or,
/// with a second input, to that input's spatial size (PyTorch <c>interpolate(x, size=y.shape[-2:])</c>).
/// <see cref="AlignCorners"/> is PyTorch's flag (bilinear only): ONNX <c>align_corners</c> vs <c>half_pixel</c>.
/// </summary>
[NodeKind("resize")]
public sealed record ResizeNode : Node
{
    public required ResizeMode Mode { get; init; }

    public bool AlignCorners { get; init; }

    /// <summary>Integer up-scaling factors; ignored when the node has a size-reference input.</summary>
    public Pair Scale { get; init; } = 1;

    public override int InputArity => Inputs.Count == 2 ? 2 : 1;

    public bool HasSizeReference => Inputs.Count == 2;

    public override int[] OutputChannels(IReadOnlyList<int> inputChannels)
    {
        if (!HasSizeReference && (Scale.H < 1 || Scale.W < 1))
        {
            throw Error($"scale {Scale} must be >= 1: a resize to a non-positive size");
        }

        if (AlignCorners && Mode == ResizeMode.Nearest)
        {
            throw Error("align_corners applies to bilinear resizes only");
        }

        return Same(inputChannels);
    }

    public override ValueShape[] InferShapes(IReadOnlyList<ValueShape> inputs)
    {
        ValueShape x = inputs[0];
        (int h, int w) = HasSizeReference
            ? (inputs[1].Height, inputs[1].Width)
            : ((int)Math.Min((long)x.Height * Scale.H, int.MaxValue), (int)Math.Min((long)x.Width * Scale.W, int.MaxValue));
        if (h < 1 || w < 1)
        {
            throw Error($"resize of {x} to a non-positive size {h}x{w}");
        }

        return [x with { Height = h, Width = w }];
    }

    public override NodeCost Cost(IReadOnlyList<ValueShape> inputs, IReadOnlyList<ValueShape> outputs) =>
        NodeCost.Elementwise(outputs[0], Mode == ResizeMode.Bilinear ? 7 : 1);
}
