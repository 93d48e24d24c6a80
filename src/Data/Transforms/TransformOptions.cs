using Nas.Core;

namespace Nas.Data.Transforms;

/// <summary>
/// The augmentation and normalisation of a pipeline. Training: random scale, random crop (labels padded with 255,
/// images with the mean colour), horizontal flip, photometric jitter. Evaluation: optional resize only. Images are
/// always normalised with <see cref="Mean"/>/<see cref="Std"/> (ImageNet by default, as SqueezeNAS); labels are
/// always resized with nearest neighbour, so their values stay original class ids or 255.
/// </summary>
public sealed record TransformOptions
{
    /// <summary>Output crop height (training) or resize height (evaluation; 0 = keep).</summary>
    public int Height { get; init; }

    public int Width { get; init; }

    public double ScaleMin { get; init; } = 0.5;

    public double ScaleMax { get; init; } = 2.0;

    public bool Flip { get; init; } = true;

    /// <summary>Maximum relative change of brightness, contrast and saturation (0 = none).</summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>
    /// Fill of image pixels a crop adds beyond the scaled image: the mean colour (normalises to 0) when true, black
    /// otherwise. Added label pixels are always 255 (ignored).
    /// </summary>
    public bool PadImageWithMean { get; init; } = true;

    public IReadOnlyList<float> Mean { get; init; } = [0.485f, 0.456f, 0.406f];

    public IReadOnlyList<float> Std { get; init; } = [0.229f, 0.224f, 0.225f];

    /// <summary>The training pipeline with its defaults (scale 0.5–2, flip, jitter 0.2) and a crop of <paramref name="height"/>×<paramref name="width"/>.</summary>
    public static TransformOptions ForTraining(int height, int width) => new() { Height = height, Width = width };

    /// <summary>The evaluation pipeline: normalisation only, or a resize to height×width first (0 = native size).</summary>
    public static TransformOptions ForEvaluation(int height = 0, int width = 0) => new() { Height = height, Width = width, Flip = false, Jitter = 0, ScaleMin = 1, ScaleMax = 1 };

    public void Validate()
    {
        if (Height < 0 || Width < 0)
        {
            throw new NasException($"crop/resize size must not be negative ({Height}x{Width})");
        }

        if (!(ScaleMin > 0) || !(ScaleMax >= ScaleMin))
        {
            throw new NasException($"scale range must satisfy 0 < min <= max (got {ScaleMin}..{ScaleMax})");
        }

        if (!(Jitter >= 0) || Jitter >= 1)
        {
            throw new NasException($"jitter must be in [0, 1) (got {Jitter})");
        }

        if (Mean.Count != 3 || Std.Count != 3 || Std.Any(s => !(s > 0)))
        {
            throw new NasException("normalisation needs three means and three positive standard deviations");
        }
    }
}
