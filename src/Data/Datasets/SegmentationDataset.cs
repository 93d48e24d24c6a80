using Nas.Core;
using Nas.Data.Images;

namespace Nas.Data.Datasets;

/// <summary>
/// A split of a segmentation dataset: image/label pairs and the class set. Labels are read as raw indices and
/// mapped to class indices (e.g. Cityscapes labelIds → trainIds); every label value must be a class or 255.
/// </summary>
public abstract class SegmentationDataset
{
    protected SegmentationDataset(string root, string split, DatasetInfo info)
    {
        Root = root;
        Split = split;
        Info = info;
    }

    public string Root { get; }

    public string Split { get; }

    public DatasetInfo Info { get; }

    public abstract IReadOnlyList<SampleRef> Samples { get; }

    /// <summary>Samples excluded by <see cref="DatasetOptions.SkipBad"/>, with the reason.</summary>
    public IReadOnlyList<string> Skipped { get; private set; } = [];

    internal void SetSkipped(IReadOnlyList<string> skipped) => Skipped = skipped;

    public int Count => Samples.Count;

    public RgbImage LoadImage(SampleRef sample) => ImageCodec.Read(sample.ImagePath);

    /// <summary>The label map in class indices (after any dataset-specific mapping).</summary>
    public virtual LabelMap LoadLabel(SampleRef sample) => IndexedPng.Read(sample.LabelPath);

    /// <summary>Loads a pair and checks sizes and label values; errors name the file.</summary>
    public (RgbImage Image, LabelMap Label) Load(int index)
    {
        SampleRef sample = Samples[index];
        RgbImage image = LoadImage(sample);
        LabelMap label = LoadLabel(sample);
        if (image.Width != label.Width || image.Height != label.Height)
        {
            throw new NasException($"{sample.LabelPath}: label is {label.Width}x{label.Height} but its image '{sample.ImagePath}' is {image.Width}x{image.Height}");
        }

        int bad = FirstInvalidValue(label);
        if (bad >= 0)
        {
            throw new NasException($"{sample.LabelPath}: label value {bad} is not a class of {Info.Name} (0..{Info.ClassCount - 1} or 255); pass --skip-bad to leave such samples out");
        }

        return (image, label);
    }

    /// <summary>The first label value that is neither a class nor 255, or -1.</summary>
    public int FirstInvalidValue(LabelMap label)
    {
        int classes = Info.ClassCount;
        foreach (byte v in label.Indices)
        {
            if (v >= classes && v != DatasetInfo.IgnoreIndex)
            {
                return v;
            }
        }

        return -1;
    }

    /// <summary>Drops samples whose files are unreadable, mis-sized or hold values outside the class set.</summary>
    internal static IReadOnlyList<SampleRef> FilterBadSamples(SegmentationDataset dataset, IReadOnlyList<SampleRef> samples, List<string> skipped)
    {
        var keep = new SampleRef?[samples.Count];
        var reasons = new string?[samples.Count];
        Parallel.For(0, samples.Count, i =>
        {
            try
            {
                SampleRef s = samples[i];
                LabelMap label = dataset.LoadLabel(s);
                (int w, int h) = ImageCodec.ReadSize(s.ImagePath);
                if (w != label.Width || h != label.Height)
                {
                    reasons[i] = $"{s.Id}: image {w}x{h} vs label {label.Width}x{label.Height}";
                }
                else if (dataset.FirstInvalidValue(label) is int v and >= 0)
                {
                    reasons[i] = $"{s.Id}: label value {v}";
                }
                else
                {
                    keep[i] = s;
                }
            }
            catch (NasException e)
            {
                reasons[i] = e.Message;
            }
        });
        skipped.AddRange(reasons.Where(r => r is not null)!);
        return keep.Where(s => s is not null).ToArray()!;
    }
}
