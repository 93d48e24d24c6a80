using System.Text.Json;
using Nas.Core;

namespace Nas.Data.Datasets;

/// <summary>
/// RailSem19 (and the synthetic rail scenes, which use its layout): <c>jpgs/rs19_val/rsNNNNN.jpg</c> with
/// <c>uint8/rs19_val/rsNNNNN.png</c> (raw class ids, 255 void); class names and colours from
/// <c>rs19-config.json</c> when present. The root may be the folder holding <c>jpgs/</c> or its parent holding
/// <c>rs19_val/</c>. There is no official split: see <see cref="SplitSelector"/>.
/// </summary>
public sealed class RailSem19Dataset : SegmentationDataset
{
    private readonly IReadOnlyList<SampleRef> _samples;

    public RailSem19Dataset(string root, string split, DatasetOptions options, string name = "railsem19")
        : base(ResolveRoot(root), split, LoadInfo(ResolveRoot(root), name))
    {
        string imageDir = Path.Combine(Root, "jpgs", "rs19_val");
        string labelDir = Path.Combine(Root, "uint8", "rs19_val");
        if (!Directory.Exists(imageDir))
        {
            throw new NasException($"RailSem19 images not found: '{imageDir}' does not exist (expected <root>/jpgs/rs19_val/rsNNNNN.jpg)");
        }

        if (!Directory.Exists(labelDir))
        {
            throw new NasException($"RailSem19 labels not found: '{labelDir}' does not exist (expected <root>/uint8/rs19_val/rsNNNNN.png)");
        }

        var images = Directory.EnumerateFiles(imageDir).Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f), StringComparer.Ordinal);
        var labels = Directory.EnumerateFiles(labelDir, "*.png").ToDictionary(f => Path.GetFileNameWithoutExtension(f), StringComparer.Ordinal);
        if (images.Count == 0)
        {
            throw new NasException($"no images in '{imageDir}'");
        }

        var problems = new List<string>();
        problems.AddRange(images.Keys.Where(k => !labels.ContainsKey(k)).Order(StringComparer.Ordinal).Select(k => $"image without label: '{images[k]}'"));
        problems.AddRange(labels.Keys.Where(k => !images.ContainsKey(k)).Order(StringComparer.Ordinal).Select(k => $"label without image: '{labels[k]}'"));
        string[] paired = images.Keys.Where(labels.ContainsKey).Order(StringComparer.Ordinal).ToArray();
        IReadOnlyList<string> ids = SplitSelector.Select(paired, split, options, name);
        _samples = DatasetCatalog.Finish(this, ids.Select(id => new SampleRef(id, images[id], labels[id])).ToList(), problems, options);
    }

    public override IReadOnlyList<SampleRef> Samples => _samples;

    internal static string ResolveRoot(string root)
    {
        string nested = Path.Combine(root, "rs19_val");
        return !Directory.Exists(Path.Combine(root, "jpgs")) && Directory.Exists(Path.Combine(nested, "jpgs")) ? nested : root;
    }

    private static DatasetInfo LoadInfo(string root, string name)
    {
        string config = Path.Combine(root, "rs19-config.json");
        if (!File.Exists(config))
        {
            return new DatasetInfo(name, RailSem19Classes.All);
        }

        try
        {
            var options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true };
            RailSem19Config doc = JsonSerializer.Deserialize<RailSem19Config>(File.ReadAllText(config), options)
                ?? throw new NasException($"{config}: empty");
            if (doc.Labels is null || doc.Labels.Count == 0 || doc.Labels.Count > 255)
            {
                throw new NasException($"{config}: 'labels' must list 1..255 classes");
            }

            var classes = new List<ClassInfo>();
            for (int i = 0; i < doc.Labels.Count; i++)
            {
                RailSem19ConfigLabel l = doc.Labels[i];
                if (string.IsNullOrWhiteSpace(l.Name) || l.Color is null || l.Color.Count != 3 || l.Color.Any(c => c is < 0 or > 255))
                {
                    throw new NasException($"{config}: labels[{i}] needs a 'name' and a 'color' of three values 0..255");
                }

                classes.Add(new ClassInfo(l.Name, (byte)l.Color[0], (byte)l.Color[1], (byte)l.Color[2]));
            }

            return new DatasetInfo(name, classes);
        }
        catch (JsonException e)
        {
            throw new NasException($"{config}: invalid JSON ({e.Message})", e);
        }
    }
}
