using Nas.Core;

namespace Nas.Data.Datasets;

/// <summary>
/// PASCAL VOC segmentation: <c>JPEGImages/{id}.jpg</c>, <c>SegmentationClass/{id}.png</c> (palette PNGs whose
/// index is the class, 255 = border/ignore), split lists <c>ImageSets/Segmentation/{split}.txt</c>, 21 classes.
/// Class names come from <c>classes.txt</c> or <c>pascal-voc-classes.txt</c> in the root when present.
/// The root may be <c>VOC2012</c> or a <c>VOCdevkit</c> holding it.
/// </summary>
public sealed class VocDataset : SegmentationDataset
{
    private static readonly string[] s_names =
    [
        "background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
        "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor",
    ];

    private readonly IReadOnlyList<SampleRef> _samples;

    public VocDataset(string root, string split, DatasetOptions options)
        : base(ResolveRoot(root), split, LoadInfo(ResolveRoot(root)))
    {
        string list = options.SplitFile ?? Path.Combine(Root, "ImageSets", "Segmentation", split + ".txt");
        if (!File.Exists(list))
        {
            throw new NasException($"VOC split '{split}' not found: '{list}' does not exist");
        }

        var problems = new List<string>();
        var samples = new List<SampleRef>();
        foreach (string raw in File.ReadLines(list))
        {
            string id = raw.Trim();
            if (id.Length == 0)
            {
                continue;
            }

            string image = Path.Combine(Root, "JPEGImages", id + ".jpg");
            string label = Path.Combine(Root, "SegmentationClass", id + ".png");
            if (!File.Exists(image))
            {
                problems.Add($"label without image: '{image}' is missing for id {id}");
            }
            else if (!File.Exists(label))
            {
                problems.Add($"image without label: '{label}' is missing for id {id}");
            }
            else
            {
                samples.Add(new SampleRef(id, image, label));
            }
        }

        _samples = DatasetCatalog.Finish(this, samples, problems, options);
    }

    public override IReadOnlyList<SampleRef> Samples => _samples;

    private static string ResolveRoot(string root)
    {
        string nested = Path.Combine(root, "VOC2012");
        return !Directory.Exists(Path.Combine(root, "JPEGImages")) && Directory.Exists(nested) ? nested : root;
    }

    private static DatasetInfo LoadInfo(string root)
    {
        string? file = new[] { "classes.txt", "pascal-voc-classes.txt" }.Select(f => Path.Combine(root, f)).FirstOrDefault(File.Exists);
        string[] names = file is null ? s_names : File.ReadLines(file).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        if (names.Length is 0 or > 255)
        {
            throw new NasException($"{file}: expected 1..255 class names, one per line");
        }

        return new DatasetInfo("voc", names.Select((n, i) => new ClassInfo(n, VocColor(i, 0), VocColor(i, 1), VocColor(i, 2))).ToArray());
    }

    /// <summary>The standard VOC colour map (bit-interleaved class index).</summary>
    private static byte VocColor(int index, int channel)
    {
        int c = 0;
        int id = index;
        for (int shift = 7; shift >= 0; shift--)
        {
            c |= ((id >> channel) & 1) << shift;
            id >>= 3;
        }

        return (byte)c;
    }
}
