namespace Nas.Models.Zoo.Torchvision;

/// <summary>
/// One row of torchvision's <c>_mobilenet_v3_conf</c> (<c>InvertedResidualConfig</c>): input, kernel, expanded and
/// output channels, squeeze-excite, activation (hard-swish or ReLU), the configured stride and the dilation.
/// </summary>
public sealed record MobileNetV3Block(int In, int Kernel, int Expanded, int Out, bool SqueezeExcite, bool HardSwish, int Stride, int Dilation)
{
    /// <summary>The depthwise convolution's stride: torchvision replaces a stride by the dilation (<c>1 if dilation &gt; 1</c>).</summary>
    public int DepthwiseStride => Dilation > 1 ? 1 : Stride;

    /// <summary>torchvision's <c>_is_cn</c>: the configured stride is above 1 (also when the dilation replaced it); it decides the taps.</summary>
    public bool StartsStage => Stride > 1;
}
