using System.Text.Json;
using Nas.Core;

namespace Nas.Data.Datasets;

/// <summary>
/// Any tree of <c>images/</c> and <c>labels/</c> (same file stem; labels are PNGs of raw class indices), with the
/// classes in <c>classes.txt</c> (one name per line) or <c>classes.json</c> (<c>[{"name", "color": [r,g,b]}]</c>).
/// A split uses <c>images/{split}</c> and <c>labels/{split}</c>; split <c>all</c> takes every image (in every split
/// folder). A tree without split folders can also be split by seeded fractions or a list file (see
/// <see cref="SplitSelector"/>). Sample ids are the paths below the split folder without the extension.
/// </summary>
public sealed class FolderDataset : SegmentationDataset
{
    private static readonly string[] s_imageExtensions = [".jpg", ".jpeg", ".png"];
    private readonly IReadOnlyList<SampleRef> _samples;

    public FolderDataset(string root, string split, DatasetOptions options)
        : base(root, split, LoadInfo(root))
    {
        string images = Path.Combine(root, "images");
        string labels = Path.Combine(root, "labels");
        if (!Directory.Exists(images) || !Directory.Exists(labels))
        {
            throw new NasException($"folder dataset needs '{images}' and '{labels}'");
        }

        string[] splitFolders = Directory.EnumerateDirectories(images).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToArray();
        bool useSplitFolder = Directory.Exists(Path.Combine(images, split));
        if (useSplitFolder)
        {
            images = Path.Combine(images, split);
            labels = Path.Combine(labels, split);
            if (!Directory.Exists(labels))
            {
                throw new NasException($"folder split '{split}': '{images}' exists but its labels folder '{labels}' does not");
            }
        }
        else if (split != "all" && splitFolders.Length > 0)
        {
            throw new NasException($"folder split '{split}' not found: '{Path.Combine(images, split)}' does not exist (splits present: {string.Join(", ", splitFolders)}, or all)");
        }

        // Ids are paths relative to images/ (or images/{split}/) without the extension, '/'-separated.
        var problems = new List<string>();
        var imageFiles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string f in Directory.EnumerateFiles(images, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (s_imageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()) && !imageFiles.TryAdd(RelativeId(images, f), f))
            {
                problems.Add($"two images for one label: '{imageFiles[RelativeId(images, f)]}' and '{f}'");
            }
        }

        var labelFiles = Directory.EnumerateFiles(labels, "*.png", SearchOption.AllDirectories)
            .ToDictionary(f => RelativeId(labels, f), StringComparer.Ordinal);
        problems.AddRange(imageFiles.Keys.Where(k => !labelFiles.ContainsKey(k)).Order(StringComparer.Ordinal)
            .Select(k => $"image without label: '{imageFiles[k]}' (expected '{Path.Combine(labels, k + ".png")}')"));
        problems.AddRange(labelFiles.Keys.Where(k => !imageFiles.ContainsKey(k)).Order(StringComparer.Ordinal).Select(k => $"label without image: '{labelFiles[k]}'"));
        string[] paired = imageFiles.Keys.Where(labelFiles.ContainsKey).Order(StringComparer.Ordinal).ToArray();
        IReadOnlyList<string> ids = useSplitFolder || (split == "all" && options.SplitFile is null) ? paired : SplitSelector.Select(paired, split, options, "folder");
        _samples = DatasetCatalog.Finish(this, ids.Select(id => new SampleRef(id, imageFiles[id], labelFiles[id])).ToList(), problems, options);
    }

    public override IReadOnlyList<SampleRef> Samples => _samples;

    private static string RelativeId(string folder, string file)
    {
        string relative = Path.GetRelativePath(folder, file);
        string stem = Path.Combine(Path.GetDirectoryName(relative) ?? string.Empty, Path.GetFileNameWithoutExtension(relative));
        return stem.Replace(Path.DirectorySeparatorChar, '/');
    }

    private static DatasetInfo LoadInfo(string root)
    {
        string json = Path.Combine(root, "classes.json");
        string txt = Path.Combine(root, "classes.txt");
        if (File.Exists(json))
        {
            try
            {
                var entries = JsonSerializer.Deserialize<List<RailSem19ConfigLabel>>(File.ReadAllText(json), new JsonSerializerOptions { PropertyNameCaseInsensitive = true });
                if (entries is null || entries.Count is 0 or > 255 || entries.Any(e => string.IsNullOrWhiteSpace(e.Name) || e.Color is null || e.Color.Count != 3 || e.Color.Any(c => c is < 0 or > 255)))
                {
                    throw new NasException($"{json}: expected a list of 1..255 {{\"name\", \"color\": [r,g,b]}} entries");
                }

                return new DatasetInfo("folder", entries.Select(e => new ClassInfo(e.Name, (byte)e.Color[0], (byte)e.Color[1], (byte)e.Color[2])).ToArray());
            }
            catch (JsonException e)
            {
                throw new NasException($"{json}: invalid JSON ({e.Message})", e);
            }
        }

        if (File.Exists(txt))
        {
            string[] names = File.ReadLines(txt).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
            if (names.Length is 0 or > 255)
            {
                throw new NasException($"{txt}: expected 1..255 class names, one per line");
            }

            return new DatasetInfo("folder", names.Select((n, i) => new ClassInfo(n, (byte)(i * 67 % 256), (byte)(i * 131 % 256), (byte)(i * 199 % 256))).ToArray());
        }

        throw new NasException($"folder dataset '{root}' needs a classes.txt or classes.json");
    }
}
