using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Nas.Core;
using Nas.Data.Datasets;
using Nas.Data.Transforms;

namespace Nas.Data.Loading;

/// <summary>
/// Batches a dataset split with background worker threads and bounded queues (one
/// <see cref="System.Threading.Channels"/> channel per worker; worker w prepares batches w, w + W, w + 2W, … and
/// blocks when its queue is full, so memory stays bounded). Determinism: the order of an epoch comes from
/// (seed, epoch) and each sample's augmentation from its own generator seeded with (seed, epoch, index), so the
/// batches are identical whatever the number of workers. Stopping early (break, dispose of the enumerator, or
/// cancellation) stops and joins the workers before returning; no thread outlives its epoch.
/// </summary>
public sealed class SegmentationLoader
{
    private int _liveWorkers;

    public SegmentationLoader(ISegmentationDataset dataset, LoaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Dataset = dataset;
        Options = options;
    }

    public ISegmentationDataset Dataset { get; }

    public LoaderOptions Options { get; }

    /// <summary>Worker threads of this loader that are running now (0 once every epoch has ended or been abandoned).</summary>
    public int LiveWorkerThreads => Volatile.Read(ref _liveWorkers);

    public int BatchesPerEpoch => Options.DropLast
        ? Dataset.Count / Options.BatchSize
        : (Dataset.Count + Options.BatchSize - 1) / Options.BatchSize;

    /// <summary>Evaluation batches of a split: one image per batch, native size, no augmentation, in dataset order.</summary>
    public static SegmentationLoader ForEvaluation(ISegmentationDataset dataset, int workers = 2, TransformOptions? transform = null) =>
        new(dataset, LoaderOptions.ForEvaluation(workers, transform));

    /// <summary>The batches of epoch <paramref name="epoch"/>, in order.</summary>
    public IEnumerable<DataBatch> Epoch(int epoch, CancellationToken cancellationToken = default)
    {
        int[][] batches = Plan(epoch);
        if (Options.Workers == 0 || batches.Length == 0)
        {
            foreach (int[] indices in batches)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return Build(indices, epoch, cancellationToken);
            }

            yield break;
        }

        using var run = new EpochRun(this, batches, epoch, cancellationToken);
        for (int b = 0; b < batches.Length; b++)
        {
            yield return run.Take(b);
        }
    }

    /// <summary>The sample indices of each batch of an epoch.</summary>
    public int[][] Plan(int epoch)
    {
        int[] order = Enumerable.Range(0, Dataset.Count).ToArray();
        if (Options.Shuffle)
        {
            new Random(SampleSeed.For(Options.Seed, epoch, -1)).Shuffle(order);
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
            int index = indices[i];
            SegmentationSample sample = Dataset.Load(index);
            float[] chw;
            byte[] hw;
            int h, w;
            if (Options.Augment)
            {
                var rng = new Random(SampleSeed.For(Options.Seed, epoch, index));
                (chw, hw) = SegmentationTransform.Train(sample.Image, sample.Label, Options.Transform, rng);
                h = Options.Transform.Height > 0 ? Options.Transform.Height : sample.Image.Height;
                w = Options.Transform.Width > 0 ? Options.Transform.Width : sample.Image.Width;
            }
            else
            {
                (chw, hw, h, w) = SegmentationTransform.Eval(sample.Image, sample.Label, Options.Transform);
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
                    $"{sample.Source.ImagePath}: is {h}x{w} (HxW) but other images of its batch are {height}x{width}; batching needs equal sizes (use batch 1, a crop or a resize)");
            }

            chw.CopyTo(images, i * chw.Length);
            hw.CopyTo(labels!, i * hw.Length);
            ids[i] = sample.Id;
        }

        return new DataBatch(images!, labels!, indices.Length, height, width, ids, indices);
    }

    /// <summary>The worker threads and queues of one epoch; disposing stops and joins them.</summary>
    private sealed class EpochRun : IDisposable
    {
        private readonly SegmentationLoader _loader;
        private readonly int[][] _batches;
        private readonly int _epoch;
        private readonly CancellationToken _callerToken;
        private readonly CancellationTokenSource _stop;
        private readonly Channel<DataBatch>[] _queues;
        private readonly Thread[] _threads;

        public EpochRun(SegmentationLoader loader, int[][] batches, int epoch, CancellationToken callerToken)
        {
            _loader = loader;
            _batches = batches;
            _epoch = epoch;
            _callerToken = callerToken;
            _stop = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
            int workers = Math.Min(loader.Options.Workers, batches.Length);
            int capacity = Math.Max(1, loader.Options.Prefetch / workers);
            _queues = new Channel<DataBatch>[workers];
            _threads = new Thread[workers];
            for (int w = 0; w < workers; w++)
            {
                _queues[w] = Channel.CreateBounded<DataBatch>(new BoundedChannelOptions(capacity)
                {
                    SingleReader = true,
                    SingleWriter = true,
                    FullMode = BoundedChannelFullMode.Wait,
                });
                int worker = w;
                _threads[w] = new Thread(() => Work(worker))
                {
                    IsBackground = true,
                    Name = $"nas-loader-{w}",
                };
            }

            foreach (Thread t in _threads)
            {
                Interlocked.Increment(ref loader._liveWorkers);
                t.Start();
            }
        }

        /// <summary>Batch <paramref name="b"/> (taken in order), waiting for its worker when it is not ready.</summary>
        public DataBatch Take(int b)
        {
            ChannelReader<DataBatch> reader = _queues[b % _queues.Length].Reader;
            try
            {
                return reader.ReadAsync(_callerToken).AsTask().GetAwaiter().GetResult();
            }
            catch (ChannelClosedException e)
            {
                // This batch's worker failed on it: its error surfaces here, after every earlier batch was delivered,
                // exactly where a single-threaded loop would have failed.
                if (e.InnerException is Exception failure)
                {
                    ExceptionDispatchInfo.Capture(failure).Throw();
                }

                _callerToken.ThrowIfCancellationRequested();
                throw new InvalidOperationException("a loader queue closed before its batches were delivered", e);
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            foreach (Thread t in _threads)
            {
                t.Join();
            }

            _stop.Dispose();
        }

        private void Work(int worker)
        {
            ChannelWriter<DataBatch> writer = _queues[worker].Writer;
            CancellationToken token = _stop.Token;
            try
            {
                for (int b = worker; b < _batches.Length; b += _queues.Length)
                {
                    DataBatch batch = _loader.Build(_batches[b], _epoch, token);
                    writer.WriteAsync(batch, token).AsTask().GetAwaiter().GetResult();
                }

                writer.TryComplete();
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Stopped (the consumer left the epoch or the caller cancelled): close the queue quietly.
                writer.TryComplete();
            }
            catch (Exception e)
            {
                // The consumer sees the error when it reaches the failed batch; until then the others keep going.
                writer.TryComplete(e);
            }
            finally
            {
                Interlocked.Decrement(ref _loader._liveWorkers);
            }
        }
    }
}
