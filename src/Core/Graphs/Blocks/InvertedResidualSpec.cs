namespace Nas.Core.Graphs.Blocks;

/// <summary>
/// One inverted-residual block: 1×1 expansion (groups <see cref="Groups"/>) + BN + act, k×k depthwise (stride, dilation)
/// + BN + act, optional squeeze-excite, 1×1 projection (groups <see cref="Groups"/>) + BN, and the residual when stride
/// is 1 and channels are equal. SqueezeNAS keeps the expansion conv at e = 1 (<see cref="AlwaysExpand"/>); MobileNetV3
/// omits it when the hidden width equals the input width.
/// </summary>
public sealed record InvertedResidualSpec(int InChannels, int Hidden, int OutChannels, int Kernel, int Stride = 1, int Dilation = 1)
{
    public int Groups { get; init; } = 1;

    public bool AlwaysExpand { get; init; } = true;

    /// <summary>Squeeze width of the SE module, 0 for none.</summary>
    public int SeChannels { get; init; }

    public ActivationFunction Activation { get; init; } = ActivationFunction.Relu;

    public double BnEps { get; init; } = 1e-5;

    public double BnMomentum { get; init; } = 0.1;

    public bool HasExpansion => AlwaysExpand || Hidden != InChannels;

    public bool IsResidual => Stride == 1 && InChannels == OutChannels;
}
