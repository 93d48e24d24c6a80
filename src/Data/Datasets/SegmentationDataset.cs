using Nas.Core;
using Nas.Data.Images;

namespace Nas.Data.Datasets;

/// <summary>
/// A split of a segmentation dataset: image/label pairs and the class set. Labels are read as raw indices and
/// mapped to class indices (e.g. Cityscapes labelIds → trainIds); every label value must be a class or 255.
/// </summary>
public abstract class SegmentationDataset : ISegmentationDataset
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

    public string Name => Info.Name;

    public IReadOnlyList<string> ClassNames => Info.ClassNames;

    public IReadOnlyList<(byte R, byte G, byte B)> Palette => Info.Palette;

    public int IgnoreIndex => DatasetInfo.IgnoreIndex;

    public RgbImage LoadImage(SampleRef sample) => ImageCodec.Read(sample.ImagePath);

    /// <summary>The label map in class indices (after any dataset-specific mapping).</summary>
    public virtual LabelMap LoadLabel(SampleRef sample) => IndexedPng.Read(sample.LabelPath);

    /// <summary>Loads a pair and checks sizes and label values; errors name the file.</summary>
    public SegmentationSample Load(int index)
    {
        SampleRef sample = Samples[index];
        RgbImage image = LoadImage(sample);
        LabelMap label = LoadLabel(sample);
        if (image.Width != label.Width || image.Height != label.Height)
        {
            throw new NasException($"{sample.LabelPath}: label is {label.Height}x{label.Width} (HxW) but its image '{sample.ImagePath}' is {image.Height}x{image.Width}");
        }

        int bad = FirstInvalidValue(label);
        if (bad >= 0)
        {
            long pixels = label.Indices.AsSpan().Count((byte)bad);
            throw new NasException($"{sample.LabelPath}: label value {bad} ({pixels} pixels) is not a class of {Info.Name} (0..{Info.ClassCount - 1} or 255); pass --skip-bad to leave such samples out");
        }

        return new SegmentationSample(sample, image, label);
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
        ParallelErrors.Run(() => Parallel.For(0, samples.Count, i =>
        {
            try
            {
                SampleRef s = samples[i];
                LabelMap label = dataset.LoadLabel(s);
                (int w, int h) = ImageCodec.ReadSize(s.ImagePath);
                if (w != label.Width || h != label.Height)
                {
                    reasons[i] = $"{s.LabelPath}: label is {label.Height}x{label.Width} (HxW) but its image '{s.ImagePath}' is {h}x{w}";
                }
                else if (dataset.FirstInvalidValue(label) is int v and >= 0)
                {
                    reasons[i] = $"{s.LabelPath}: label value {v} is not a class of {dataset.Info.Name} (0..{dataset.Info.ClassCount - 1} or 255)";
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
        }));
        skipped.AddRange(reasons.Where(r => r is not null)!);
        return keep.Where(s => s is not null).ToArray()!;
    }
}
