namespace Nas.Core.Graphs.Blocks;

/// <summary>
/// Node names of a convolution + BatchNorm (+ activation) unit, and optionally the external (reference PyTorch) names
/// of the convolution and the BatchNorm. Names are relative to the builder's scope; external names are absolute.
/// </summary>
public sealed record ConvLayerNames(string Conv, string Norm, string Act, string? ConvExternal = null, string? NormExternal = null)
{
    /// <summary>Our own layout: <c>{prefix}.conv</c>, <c>{prefix}.bn</c>, <c>{prefix}.relu</c>.</summary>
    public static ConvLayerNames Ours(string prefix) => new($"{prefix}.conv", $"{prefix}.bn", $"{prefix}.act");

    /// <summary>torchvision's <c>Conv2dNormActivation</c> (a Sequential): <c>{prefix}.0</c>, <c>{prefix}.1</c>, <c>{prefix}.2</c>.</summary>
    public static ConvLayerNames Sequential(string prefix) => new($"{prefix}.0", $"{prefix}.1", $"{prefix}.2");
}
