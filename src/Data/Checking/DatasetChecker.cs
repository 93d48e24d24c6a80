using Nas.Core;
using Nas.Core.Progress;
using Nas.Data.Datasets;
using Nas.Data.Images;

namespace Nas.Data.Checking;

/// <summary>
/// Validates a dataset tree: pairing of images and labels, readability of every image and label (both are fully
/// decoded), image/label sizes, label values outside the class set; and counts the pixels of each class. Problems
/// are collected, not thrown; only a tree that cannot be opened at all (no such split) throws.
/// </summary>
public static class DatasetChecker
{
    public static DatasetCheckResult Check(string name, string root, string split, DatasetOptions? options = null, IProgress<ProgressInfo>? progress = null, CancellationToken cancellationToken = default)
    {
        // Unpaired files are left out (and reported); everything else is read below, sample by sample.
        DatasetOptions open = (options ?? new DatasetOptions()) with { Limit = 0, SkipBad = true, SkipUnpairedOnly = true };
        SegmentationDataset dataset = DatasetCatalog.Open(name, root, split, open);
        var problems = new List<string>(dataset.Skipped);
        int classes = dataset.Info.ClassCount;
        var pixels = new long[classes];
        var images = new int[classes];
        long ignored = 0;
        var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
        var gate = new Lock();
        int done = 0;
        IReadOnlyList<SampleRef> samples = dataset.Samples;
        ParallelErrors.Run(() => Parallel.For(0, samples.Count, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            SampleRef s = samples[i];
            var local = new long[classes];
            long localIgnored = 0;
            var found = new List<string>();
            string? size = null;
            RgbImage? image = null;
            try
            {
                image = ImageCodec.Read(s.ImagePath);
                size = $"{image.Height}x{image.Width}";
            }
            catch (NasException e)
            {
                found.Add(e.Message);
            }

            try
            {
                LabelMap label = dataset.LoadLabel(s);
                if (image is not null && (image.Width != label.Width || image.Height != label.Height))
                {
                    found.Add($"{s.LabelPath}: label is {label.Height}x{label.Width} (HxW) but its image '{s.ImagePath}' is {image.Height}x{image.Width}");
                }

                var outside = new SortedDictionary<int, long>();
                foreach (byte v in label.Indices)
                {
                    if (v < classes)
                    {
                        local[v]++;
                    }
                    else if (v == DatasetInfo.IgnoreIndex)
                    {
                        localIgnored++;
                    }
                    else
                    {
                        outside[v] = outside.GetValueOrDefault(v) + 1;
                    }
                }

                if (outside.Count > 0)
                {
                    found.Add($"{s.LabelPath}: label values outside the class set (0..{classes - 1}, 255): " +
                        string.Join(", ", outside.Take(8).Select(kv => $"{kv.Key} ({kv.Value} px)")) + (outside.Count > 8 ? ", ..." : string.Empty));
                }
            }
            catch (NasException e)
            {
                found.Add(e.Message);
            }

            lock (gate)
            {
                for (int c = 0; c < classes; c++)
                {
                    pixels[c] += local[c];
                    images[c] += local[c] > 0 ? 1 : 0;
                }

                ignored += localIgnored;
                problems.AddRange(found);
                if (size is not null)
                {
                    sizes[size] = sizes.GetValueOrDefault(size) + 1;
                }
            }

            progress?.Report(new ProgressInfo("check", Interlocked.Increment(ref done), samples.Count));
        }));
        problems.Sort(StringComparer.Ordinal);
        return new DatasetCheckResult(dataset.Info.Name, split, samples.Count, problems, pixels, ignored, sizes, dataset.Info.ClassNames, images);
    }
}
