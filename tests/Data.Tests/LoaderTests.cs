using Nas.Core;
using Nas.Data.Datasets;
using Nas.Data.Loading;
using Nas.Data.Synthetic;
using Nas.Data.Transforms;
using Nas.TestSupport;

namespace Nas.Data.Tests;

public sealed class LoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly SegmentationDataset _dataset;

    public LoaderTests()
    {
        SyntheticRailGenerator.WriteDataset(_dir.Path, 9, 64, 128, seed: 2);
        _dataset = DatasetCatalog.Open("synthetic", _dir.Path, "all");
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void BatchesAreIdenticalWhateverTheWorkerCount()
    {
        var transform = TransformOptions.ForTraining(32, 64);
        List<DataBatch> Run(int workers) => new SegmentationLoader(_dataset, new LoaderOptions { BatchSize = 2, Workers = workers, Seed = 5, Transform = transform }).Epoch(1).ToList();
        List<DataBatch> inline = Run(0);
        Assert.Equal(4, inline.Count); // 9 images, batch 2, drop last
        foreach (int workers in new[] { 1, 3 })
        {
            List<DataBatch> other = Run(workers);
            Assert.Equal(inline.Count, other.Count);
            for (int b = 0; b < inline.Count; b++)
            {
                Assert.Equal(inline[b].Ids, other[b].Ids);
                Assert.Equal(inline[b].Images, other[b].Images);
                Assert.Equal(inline[b].Labels, other[b].Labels);
            }
        }

        DataBatch first = inline[0];
        Assert.Equal((2, 32, 64), (first.Count, first.Height, first.Width));
        Assert.Equal(2 * 3 * 32 * 64, first.Images.Length);
        Assert.Equal(2 * 32 * 64, first.Labels.Length);
        Assert.Equal(first.Labels.Select(v => (long)v), first.LabelsAsInt64());
    }

    [Fact]
    public void EachEpochShufflesAndCoversTheSplit()
    {
        var loader = new SegmentationLoader(_dataset, new LoaderOptions { BatchSize = 4, DropLast = false, Seed = 1, Transform = TransformOptions.ForTraining(16, 32) });
        Assert.Equal(3, loader.BatchesPerEpoch);
        string[] epoch0 = loader.Epoch(0).SelectMany(b => b.Ids).ToArray();
        string[] epoch1 = loader.Epoch(1).SelectMany(b => b.Ids).ToArray();
        Assert.Equal(_dataset.Samples.Select(s => s.Id).Order(StringComparer.Ordinal), epoch0.Order(StringComparer.Ordinal));
        Assert.Equal(epoch0.Order(StringComparer.Ordinal), epoch1.Order(StringComparer.Ordinal));
        Assert.NotEqual(epoch0, epoch1);
        Assert.Equal(epoch0, loader.Epoch(0).SelectMany(b => b.Ids).ToArray());
    }

    [Fact]
    public void EvaluationIteratesFullSizeImagesInOrder()
    {
        var loader = SegmentationLoader.ForEvaluation(_dataset);
        List<DataBatch> batches = loader.Epoch(0).ToList();
        Assert.Equal(9, batches.Count);
        Assert.Equal(_dataset.Samples.Select(s => s.Id), batches.Select(b => b.Ids[0]));
        Assert.All(batches, b => Assert.Equal((1, 64, 128), (b.Count, b.Height, b.Width)));
        Assert.Equal(_dataset.Load(4).Label.Indices, batches[4].Labels);
    }

    [Fact]
    public void StoppingEarlyOrCancellingLeavesNoWorkerThread()
    {
        var loader = new SegmentationLoader(_dataset, new LoaderOptions { BatchSize = 1, Workers = 3, Prefetch = 3, Transform = TransformOptions.ForTraining(32, 64) });
        DataBatch first = loader.Epoch(0).First();
        Assert.Equal(1, first.Count);
        Assert.Equal(0, loader.LiveWorkerThreads);

        using var cts = new CancellationTokenSource();
        int seen = 0;
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (DataBatch batch in loader.Epoch(0, cts.Token))
            {
                Assert.True(loader.LiveWorkerThreads > 0 || seen > 5);
                if (++seen == 2)
                {
                    cts.Cancel();
                }
            }
        });
        Assert.Equal(2, seen);
        Assert.Equal(0, loader.LiveWorkerThreads);
    }

    [Fact]
    public void AWorkerErrorReachesTheConsumerAndStopsTheOthers()
    {
        File.WriteAllBytes(_dir.Combine("jpgs", "rs19_val", "rs00005.jpg"), [0xFF, 0xD8, 0xFF, 1, 2, 3]);
        var loader = new SegmentationLoader(_dataset, new LoaderOptions { BatchSize = 1, Workers = 2, Shuffle = false, Transform = TransformOptions.ForTraining(32, 64) });
        var seen = new List<string>();
        NasException e = Assert.Throws<NasException>(() =>
        {
            foreach (DataBatch batch in loader.Epoch(0))
            {
                seen.Add(batch.Ids[0]);
            }
        });
        Assert.Contains("rs00005.jpg", e.Message);
        Assert.Equal(["rs00000", "rs00001", "rs00002", "rs00003", "rs00004"], seen);
        Assert.Equal(0, loader.LiveWorkerThreads);
    }

    [Fact]
    public void OptionsAreValidated()
    {
        Assert.Throws<NasException>(() => new SegmentationLoader(_dataset, new LoaderOptions { BatchSize = 0 }));
        Assert.Throws<NasException>(() => new SegmentationLoader(_dataset, new LoaderOptions { Workers = -1 }));
        Assert.Throws<NasException>(() => new SegmentationLoader(_dataset, new LoaderOptions { Transform = new TransformOptions { ScaleMin = 2, ScaleMax = 1 } }));
    }
}
