namespace Nas.Data.Datasets;

/// <summary>
/// A split of a segmentation dataset, whatever its layout: the class set (names and display colours, label value
/// = class index, <see cref="IgnoreIndex"/> = not scored) and the image/label pairs.
/// </summary>
public interface ISegmentationDataset
{
    /// <summary>The dataset kind: cityscapes, railsem19, synthetic, voc or folder.</summary>
    string Name { get; }

    string Split { get; }

    IReadOnlyList<string> ClassNames { get; }

    /// <summary>The display colour of each class, in class order.</summary>
    IReadOnlyList<(byte R, byte G, byte B)> Palette { get; }

    /// <summary>The label value that is neither trained on nor scored (255).</summary>
    int IgnoreIndex { get; }

    int Count { get; }

    /// <summary>Loads pair <paramref name="index"/> (0 ≤ index &lt; Count): the RGB image and its label map in class indices.</summary>
    SegmentationSample Load(int index);
}
