using Nas.Core;
using Nas.Data.Images;

namespace Nas.Data.Datasets;

/// <summary>
/// Cityscapes fine annotations: <c>leftImg8bit/{split}/{city}/*_leftImg8bit.png</c> with
/// <c>gtFine/{split}/{city}/*_gtFine_labelIds.png</c> (label ids mapped to the 19 train ids, others 255), or the
/// generated <c>*_gtFine_labelTrainIds.png</c> when present.
/// </summary>
public sealed class CityscapesDataset : SegmentationDataset
{
    private const string ImageSuffix = "_leftImg8bit.png";
    private readonly IReadOnlyList<SampleRef> _samples;

    public CityscapesDataset(string root, string split, DatasetOptions options)
        : base(root, split, CityscapesLabels.Info)
    {
        string imageDir = Path.Combine(root, "leftImg8bit", split);
        string labelDir = Path.Combine(root, "gtFine", split);
        if (!Directory.Exists(imageDir))
        {
            throw new NasException($"Cityscapes split '{split}' not found: '{imageDir}' does not exist (expected {root}/leftImg8bit/{{train,val,test}}/<city>/)");
        }

        var samples = new List<SampleRef>();
        var problems = new List<string>();
        foreach (string image in Directory.EnumerateFiles(imageDir, "*" + ImageSuffix, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string city = Path.GetFileName(Path.GetDirectoryName(image)!);
            string stem = Path.GetFileName(image)[..^ImageSuffix.Length];
            string trainIds = Path.Combine(labelDir, city, stem + "_gtFine_labelTrainIds.png");
            string ids = Path.Combine(labelDir, city, stem + "_gtFine_labelIds.png");
            string? label = File.Exists(trainIds) ? trainIds : File.Exists(ids) ? ids : null;
            if (label is null)
            {
                problems.Add($"image without label: '{image}' (expected '{ids}')");
                continue;
            }

            samples.Add(new SampleRef(stem, image, label));
        }

        if (Directory.Exists(labelDir))
        {
            var stems = samples.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
            foreach (string label in Directory.EnumerateFiles(labelDir, "*_gtFine_labelIds.png", SearchOption.AllDirectories))
            {
                string stem = Path.GetFileName(label)[..^"_gtFine_labelIds.png".Length];
                if (!stems.Contains(stem))
                {
                    problems.Add($"label without image: '{label}'");
                }
            }
        }

        _samples = DatasetCatalog.Finish(this, samples, problems, options);
    }

    public override IReadOnlyList<SampleRef> Samples => _samples;

    public override LabelMap LoadLabel(SampleRef sample)
    {
        LabelMap raw = IndexedPng.Read(sample.LabelPath);
        if (sample.LabelPath.EndsWith("_labelTrainIds.png", StringComparison.Ordinal))
        {
            return raw;
        }

        // Label ids are 0..33 (labels.py); anything else is not a Cityscapes label and would silently become 255.
        int invalid = -1;
        long count = 0;
        foreach (byte v in raw.Indices)
        {
            if (v > CityscapesLabels.MaxLabelId)
            {
                invalid = invalid < 0 ? v : invalid;
                count++;
            }
        }

        if (invalid >= 0)
        {
            throw new NasException($"{sample.LabelPath}: label id {invalid} is not a Cityscapes label id (0..{CityscapesLabels.MaxLabelId}; {count} pixels outside that range); pass --skip-bad to leave such samples out");
        }

        byte[] map = CityscapesLabels.IdToTrainId;
        for (int i = 0; i < raw.Indices.Length; i++)
        {
            raw.Indices[i] = map[raw.Indices[i]];
        }

        return raw;
    }
}
