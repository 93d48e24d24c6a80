using Nas.Core;
using Nas.Data.Datasets;
using Nas.Data.Images;
using Nas.Data.Transforms;

namespace Nas.Data.Loading;

/// <summary>
/// Batches a dataset split with background workers and a bounded prefetch window. Determinism: the order of an
/// epoch comes from (seed, epoch) and each sample's augmentation from its own generator seeded with
/// (seed, epoch, index), so the batches are identical whatever the number of workers.
/// </summary>
public sealed class SegmentationLoader
{
    public SegmentationLoader(SegmentationDataset dataset, LoaderOptions options)
    {
        options.Validate();
        Dataset = dataset;
        Options = options;
    }

    public SegmentationDataset Dataset { get; }

    public LoaderOptions Options { get; }

    public int BatchesPerEpoch => Options.DropLast
        ? Dataset.Count / Options.BatchSize
        : (Dataset.Count + Options.BatchSize - 1) / Options.BatchSize;

    public IEnumerable<DataBatch> Epoch(int epoch, CancellationToken cancellationToken = default)
    {
        int[][] batches = Plan(epoch);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var workers = new SemaphoreSlim(Options.Workers);
        var inFlight = new Task<DataBatch>?[batches.Length];
        int next = 0;
        try
        {
            for (int b = 0; b < batches.Length; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                while (next < batches.Length && next < b + Options.Prefetch)
                {
                    int index = next++;
                    inFlight[index] = Task.Run(async () =>
                    {
                        await workers.WaitAsync(stop.Token).ConfigureAwait(false);
                        try
                        {
                            return Build(batches[index], epoch, stop.Token);
                        }
                        finally
                        {
                            workers.Release();
                        }
                    }, stop.Token);
                }

                DataBatch batch;
                try
                {
                    batch = inFlight[b]!.GetAwaiter().GetResult();
                }
                catch (AggregateException e) when (e.InnerExceptions.Count == 1)
                {
                    throw e.InnerExceptions[0];
                }

                inFlight[b] = null;
                yield return batch;
            }
        }
        finally
        {
            stop.Cancel();
            foreach (Task<DataBatch>? t in inFlight)
            {
                if (t is not null)
                {
                    try
                    {
                        t.Wait(CancellationToken.None);
                    }
                    catch (AggregateException)
                    {
                        // cancelled or failed after the consumer stopped: nothing left to report
                    }
                }
            }
        }
    }

    /// <summary>The sample indices of each batch of an epoch.</summary>
    public int[][] Plan(int epoch)
    {
        int[] order = Enumerable.Range(0, Dataset.Count).ToArray();
        if (Options.Shuffle)
        {
            new Random(unchecked((Options.Seed * 1_000_003) + (epoch * 7_919))).Shuffle(order);
        }

        return order.Chunk(Options.BatchSize)
            .Where(c => !Options.DropLast || c.Length == Options.BatchSize)
            .ToArray();
    }

    private DataBatch Build(int[] indices, int epoch, CancellationToken token)
    {
        float[]? images = null;
        byte[]? labels = null;
        int height = 0, width = 0;
        var ids = new string[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            token.ThrowIfCancellationRequested();
            int sample = indices[i];
            (RgbImage image, LabelMap label) = Dataset.Load(sample);
            float[] chw;
            byte[] hw;
            int h, w;
            if (Options.Augment)
            {
                var rng = new Random(unchecked((Options.Seed * 1_000_003) + (epoch * 7_919) + (sample * 104_729)));
                (chw, hw) = SegmentationTransform.Train(image, label, Options.Transform, rng);
                h = Options.Transform.Height > 0 ? Options.Transform.Height : image.Height;
                w = Options.Transform.Width > 0 ? Options.Transform.Width : image.Width;
            }
            else
            {
                (chw, hw, h, w) = SegmentationTransform.Eval(image, label, Options.Transform);
            }

            if (images is null)
            {
                (height, width) = (h, w);
                images = new float[indices.Length * 3 * h * w];
                labels = new byte[indices.Length * h * w];
            }
            else if (h != height || w != width)
            {
                throw new NasException(
                    $"{Dataset.Samples[sample].ImagePath}: is {w}x{h} but other images of its batch are {width}x{height}; batch evaluation needs equal sizes (use --batch 1 or a resize)");
            }

            chw.CopyTo(images, i * chw.Length);
            hw.CopyTo(labels!, i * hw.Length);
            ids[i] = Dataset.Samples[sample].Id;
        }

        return new DataBatch(images!, labels!, indices.Length, height, width, ids);
    }
}
