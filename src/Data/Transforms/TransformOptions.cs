using Nas.Core;

namespace Nas.Data.Transforms;

/// <summary>
/// The augmentation and normalisation of a pipeline. Training: random scale, random crop (labels padded with 255,
/// images with the mean colour), horizontal flip, photometric jitter. Evaluation: optional resize only. Images are
/// always normalised: channel <c>c</c> of the tensor is <c>(p · <see cref="Scale"/> − Mean[c]) / Std[c]</c> for the
/// image's channel <c>c</c> in RGB order, or BGR order with <see cref="Bgr"/> (ImageNet RGB by default, as SqueezeNAS;
/// a network's own convention comes from its <c>InputConvention</c>). Labels are always resized with nearest neighbour,
/// so their values stay original class ids or 255.
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

    /// <summary>Per tensor channel (in the tensor's channel order), on the scaled values.</summary>
    public IReadOnlyList<float> Mean { get; init; } = [0.485f, 0.456f, 0.406f];

    /// <summary>Per tensor channel (in the tensor's channel order), on the scaled values.</summary>
    public IReadOnlyList<float> Std { get; init; } = [0.229f, 0.224f, 0.225f];

    /// <summary>The factor 0–255 pixel values are multiplied by before <see cref="Mean"/> is subtracted (1/255 by default: [0, 1]).</summary>
    public float Scale { get; init; } = 1f / 255;

    /// <summary>The tensor's channels are B, G, R (networks trained with OpenCV or Caffe) instead of R, G, B.</summary>
    public bool Bgr { get; init; }

    /// <summary>The image channel (0 = R, 1 = G, 2 = B) that tensor channel <paramref name="c"/> holds.</summary>
    public int SourceChannel(int c) => Bgr ? 2 - c : c;

    /// <summary>The pixel value (0–255) that normalises to 0 in each image channel R, G, B: the fill of padded crop pixels.</summary>
    public byte[] MeanPixel() =>
        [.. Enumerable.Range(0, 3).Select(k => (byte)Math.Clamp(Math.Round(Mean[SourceChannel(k)] / Scale), 0, 255))];

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

        if (!(Scale > 0) || float.IsInfinity(Scale))
        {
            throw new NasException($"the pixel scale must be positive and finite (got {Scale})");
        }
    }
}
