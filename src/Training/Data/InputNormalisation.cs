using Nas.Data.Transforms;
using Nas.Models;

namespace Nas.Training.Data;

/// <summary>The data pipeline's normalisation for a network's <see cref="InputConvention"/> (channel order, scale, mean, std).</summary>
public static class InputNormalisation
{
    /// <summary><paramref name="transform"/> normalising as <paramref name="input"/> says; null keeps the transform's own (ImageNet RGB by default).</summary>
    public static TransformOptions For(this TransformOptions transform, InputConvention? input) => input is null ? transform : transform with
    {
        Bgr = input.Channels == ChannelOrder.Bgr,
        Scale = input.Scale,
        Mean = input.Mean,
        Std = input.Std,
    };
}
