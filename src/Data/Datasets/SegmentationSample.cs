using Nas.Data.Images;

namespace Nas.Data.Datasets;

/// <summary>A loaded image/label pair; the label holds class indices (or 255) and has the image's size.</summary>
public sealed class SegmentationSample(SampleRef source, RgbImage image, LabelMap label)
{
    /// <summary>The sample id and the files it came from.</summary>
    public SampleRef Source { get; } = source;

    public string Id => Source.Id;

    public RgbImage Image { get; } = image;

    public LabelMap Label { get; } = label;

    public void Deconstruct(out RgbImage image, out LabelMap label)
    {
        image = Image;
        label = Label;
    }
}
