using Nas.Core;

namespace Nas.Data.Datasets;

/// <summary>Opens a dataset split by name: <c>cityscapes</c>, <c>railsem19</c>, <c>synthetic</c> (synthetic rail scenes, RailSem19 layout), <c>voc</c>, <c>folder</c>.</summary>
public static class DatasetCatalog
{
    public static IReadOnlyList<string> Names { get; } = ["cityscapes", "railsem19", "synthetic", "voc", "folder"];

    public static SegmentationDataset Open(string name, string root, string split, DatasetOptions? options = null)
    {
        options ??= new DatasetOptions();
        if (!Directory.Exists(root))
        {
            throw new NasException($"dataset root not found: '{root}'");
        }

        return name.ToLowerInvariant() switch
        {
            "cityscapes" => new CityscapesDataset(root, split, options),
            "railsem19" or "rs19" => new RailSem19Dataset(root, split, options),
            "synthetic" or "synthetic-rail" => new RailSem19Dataset(root, split, options, "synthetic"),
            "voc" or "pascal-voc" => new VocDataset(root, split, options),
            "folder" => new FolderDataset(root, split, options),
            _ => throw new NasException($"unknown dataset '{name}': expected one of {string.Join(", ", Names)}"),
        };
    }

    /// <summary>Applies the pairing problems, --skip-bad and --limit; fails on problems unless skipping.</summary>
    internal static IReadOnlyList<SampleRef> Finish(SegmentationDataset dataset, List<SampleRef> samples, List<string> problems, DatasetOptions options)
    {
        if (problems.Count > 0 && !options.SkipBad)
        {
            throw new NasException($"{problems[0]}{(problems.Count > 1 ? $" (and {problems.Count - 1} more problems)" : string.Empty)}; pass --skip-bad to leave such samples out");
        }

        IReadOnlyList<SampleRef> result = samples;
        if (options.Limit > 0 && result.Count > options.Limit)
        {
            result = result.Take(options.Limit).ToArray();
        }

        if (options.SkipBad)
        {
            var skipped = new List<string>(problems);
            if (!options.SkipUnpairedOnly)
            {
                result = SegmentationDataset.FilterBadSamples(dataset, result, skipped);
            }

            dataset.SetSkipped(skipped);
        }

        if (result.Count == 0)
        {
            throw new NasException($"{dataset.Info.Name} split '{dataset.Split}' under '{dataset.Root}' has no usable samples");
        }

        return result;
    }
}
