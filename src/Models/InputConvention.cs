using System.Globalization;

namespace Nas.Models;

/// <summary>
/// How a network expects its input. Channel <c>c</c> of the tensor is the image's channel <c>c</c> in
/// <see cref="Channels"/> order, computed from the 0–255 pixel value <c>p</c> as <c>(p · Scale − Mean[c]) / Std[c]</c>
/// (<see cref="Mean"/> and <see cref="Std"/> are in the network's channel order, on the scaled values). The default is
/// torchvision's: RGB, p / 255, ImageNet mean/std. Which sizes a network takes is <see cref="NetworkSpec.InputSize"/>.
/// </summary>
public sealed record InputConvention(IReadOnlyList<float> Mean, IReadOnlyList<float> Std)
{
    /// <summary>ImageNet mean/std.</summary>
    public static InputConvention ImageNet { get; } = new([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    /// <summary>The channel order of the input tensor.</summary>
    public ChannelOrder Channels { get; init; } = ChannelOrder.Rgb;

    /// <summary>The factor 0–255 pixel values are multiplied by before <see cref="Mean"/> is subtracted (1/255: values in [0, 1]).</summary>
    public float Scale { get; init; } = 1f / 255;

    /// <summary>One line: channel order, scale, mean and std (written into exported models).</summary>
    public string Normalisation =>
        $"{Channels.ToString().ToLowerInvariant()}{(Scale == 1f / 255 ? "/255" : Scale == 1 ? string.Empty : "*" + Scale.ToString("G6", CultureInfo.InvariantCulture))}, "
        + $"mean {string.Join(",", Mean.Select(F))}, std {string.Join(",", Std.Select(F))}";

    private static string F(float v) => v.ToString(CultureInfo.InvariantCulture);
}
