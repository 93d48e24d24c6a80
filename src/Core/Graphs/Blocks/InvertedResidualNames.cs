namespace Nas.Core.Graphs.Blocks;

/// <summary>Node names (and optional external names) of the layers of an inverted-residual block.</summary>
public sealed record InvertedResidualNames(ConvLayerNames Expand, ConvLayerNames Depthwise, string SeScope, ConvLayerNames Project, string Residual)
{
    /// <summary>
    /// Ours (SqueezeNAS candidates): <c>expand_conv</c>, <c>expand_bn</c>, <c>depthwise_conv</c>, ... <c>se.fc1</c>, <c>residual</c>,
    /// with the official SqueezeNAS Sequential's external names <c>op.0</c>, <c>op.1</c>, <c>op.3</c>, <c>op.4</c>, <c>op.6</c>, <c>op.7</c>.
    /// </summary>
    public static InvertedResidualNames SqueezeNas { get; } = new(
        new ConvLayerNames("expand_conv", "expand_bn", "expand_act", "op.0", "op.1"),
        new ConvLayerNames("depthwise_conv", "depthwise_bn", "depthwise_act", "op.3", "op.4"),
        "se.",
        new ConvLayerNames("project_conv", "project_bn", "project_act", "op.6", "op.7"),
        "residual");

    /// <summary>
    /// torchvision's MobileNetV3 <c>InvertedResidual</c>: a Sequential <c>block</c> of Conv2dNormActivation units
    /// (<c>block.0.0</c>, <c>block.0.1</c>, ...), the SE module at its index, the projection last. The indices depend on
    /// whether the block expands and has SE, so they are computed from the spec.
    /// </summary>
    public static InvertedResidualNames Torchvision(InvertedResidualSpec spec)
    {
        int i = 0;
        ConvLayerNames expand = ConvLayerNames.Sequential($"block.{(spec.HasExpansion ? i++ : i)}");
        ConvLayerNames depthwise = ConvLayerNames.Sequential($"block.{i++}");
        string se = spec.SeChannels > 0 ? $"block.{i++}." : string.Empty;
        ConvLayerNames project = ConvLayerNames.Sequential($"block.{i}");
        return new InvertedResidualNames(expand, depthwise, se, project, "residual");
    }
}
