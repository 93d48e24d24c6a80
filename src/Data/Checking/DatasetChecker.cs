using Nas.Core;
using Nas.Core.Progress;
using Nas.Data.Datasets;
using Nas.Data.Images;

namespace Nas.Data.Checking;

/// <summary>
/// Validates a dataset tree: pairing (reported when the dataset is opened with skip-bad), readability of every
/// image and label, image/label sizes, label values outside the class set; and counts the pixels of each class.
/// </summary>
public static class DatasetChecker
{
    public static DatasetCheckResult Check(string name, string root, string split, DatasetOptions? options = null, IProgress<ProgressInfo>? progress = null, CancellationToken cancellationToken = default)
    {
        // Open strictly; when pairing problems stop that, open with skip-bad and report what was left out.
        DatasetOptions baseOptions = (options ?? new DatasetOptions()) with { Limit = 0 };
        var problems = new List<string>();
        SegmentationDataset dataset;
        if (TryOpen(name, root, split, baseOptions with { SkipBad = false }, out SegmentationDataset? strict))
        {
            dataset = strict!;
        }
        else
        {
            dataset = DatasetCatalog.Open(name, root, split, baseOptions with { SkipBad = true });
            problems.AddRange(dataset.Skipped);
        }

        int classes = dataset.Info.ClassCount;
        var pixels = new long[classes];
        long ignored = 0;
        var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
        var gate = new Lock();
        int done = 0;
        IReadOnlyList<SampleRef> samples = dataset.Samples;
        Parallel.For(0, samples.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            SampleRef s = samples[i];
            var local = new long[classes];
            long localIgnored = 0;
            string? problem = null;
            string? size = null;
            try
            {
                LabelMap label = dataset.LoadLabel(s);
                (int w, int h) = ImageCodec.ReadSize(s.ImagePath);
                _ = ImageCodec.Read(s.ImagePath);
                size = $"{h}x{w}";
                if (w != label.Width || h != label.Height)
                {
                    problem = $"{s.LabelPath}: label is {label.Width}x{label.Height}, image is {w}x{h}";
                }

                var outside = new SortedSet<int>();
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
                        outside.Add(v);
                    }
                }

                if (outside.Count > 0)
                {
                    problem = $"{s.LabelPath}: label values outside the class set: {string.Join(", ", outside.Take(8))}";
                }
            }
            catch (NasException e)
            {
                problem = e.Message;
            }

            lock (gate)
            {
                for (int c = 0; c < classes; c++)
                {
                    pixels[c] += local[c];
                }

                ignored += localIgnored;
                if (problem is not null)
                {
                    problems.Add(problem);
                }

                if (size is not null)
                {
                    sizes[size] = sizes.GetValueOrDefault(size) + 1;
                }
            }

            progress?.Report(new ProgressInfo("check", Interlocked.Increment(ref done), samples.Count));
        });
        problems.Sort(StringComparer.Ordinal);
        return new DatasetCheckResult(dataset.Info.Name, split, samples.Count, problems, pixels, ignored, sizes);
    }

    private static bool TryOpen(string name, string root, string split, DatasetOptions options, out SegmentationDataset? dataset)
    {
        try
        {
            dataset = DatasetCatalog.Open(name, root, split, options);
            return true;
        }
        catch (NasException e) when (e.Message.Contains("--skip-bad", StringComparison.Ordinal))
        {
            dataset = null;
            return false;
        }
    }
}
