using Nas.Data.Datasets;
using Nas.Data.Images;
using Nas.Data.Loading;
using Nas.Data.Synthetic;
using Nas.Data.Transforms;
using Nas.TestSupport;

namespace Nas.Data.Tests;

public class TransformAndLoaderTests
{
    [Fact]
    public void TrainPipelineNeverInterpolatesLabels()
    {
        (RgbImage image, LabelMap label) = SyntheticRailGenerator.Generate(128, 64, 3, 0);
        var present = label.Indices.ToHashSet();
        var options = new TransformOptions { Height = 48, Width = 96, ScaleMin = 0.5, ScaleMax = 2.0 };
        for (int i = 0; i < 20; i++)
        {
            (float[] chw, byte[] labels) = SegmentationTransform.Train(image, label, options, new Random(i));
            Assert.Equal(3 * 48 * 96, chw.Length);
            Assert.Equal(48 * 96, labels.Length);
            Assert.All(labels, v => Assert.True(present.Contains(v) || v == 255, $"value {v}"));
        }
    }

    [Fact]
    public void FlipMirrorsImageAndLabelTogether()
    {
        LabelMap label = TreeBuilder.Label(8, 4, (x, _) => (byte)x);
        RgbImage image = TreeBuilder.Image(8, 4, 1);
        var options = new TransformOptions { ScaleMin = 1, ScaleMax = 1, Jitter = 0, Flip = true };
        bool sawFlip = false;
        for (int seed = 0; seed < 10; seed++)
        {
            (_, byte[] labels) = SegmentationTransform.Train(image, label, options, new Random(seed));
            if (labels[0] == 7)
            {
                sawFlip = true;
                Assert.Equal([7, 6, 5, 4, 3, 2, 1, 0], labels[..8]);
            }
            else
            {
                Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7], labels[..8]);
            }
        }

        Assert.True(sawFlip);
    }

    [Fact]
    public void LoaderIsDeterministicWhateverTheWorkerCount()
    {
        using var dir = new TempDirectory();
        SyntheticRailGenerator.WriteDataset(dir.Path, 9, 64, 128, seed: 2);
        SegmentationDataset ds = DatasetCatalog.Open("railsem19", dir.Path, "all");
        var transform = new TransformOptions { Height = 32, Width = 64 };
        List<DataBatch> Run(int workers) => new SegmentationLoader(ds, new LoaderOptions { BatchSize = 2, Workers = workers, Seed = 5, Transform = transform }).Epoch(1).ToList();
        List<DataBatch> one = Run(1);
        List<DataBatch> three = Run(3);
        Assert.Equal(4, one.Count); // 9 images, batch 2, drop last
        for (int b = 0; b < one.Count; b++)
        {
            Assert.Equal(one[b].Ids, three[b].Ids);
            Assert.Equal(one[b].Images, three[b].Images);
            Assert.Equal(one[b].Labels, three[b].Labels);
        }

        List<DataBatch> otherEpoch = new SegmentationLoader(ds, new LoaderOptions { BatchSize = 2, Seed = 5, Transform = transform }).Epoch(2).ToList();
        Assert.NotEqual(one.SelectMany(b => b.Ids), otherEpoch.SelectMany(b => b.Ids));
    }

    [Fact]
    public void StoppingEarlyLeavesNoWorkRunning()
    {
        using var dir = new TempDirectory();
        SyntheticRailGenerator.WriteDataset(dir.Path, 12, 64, 128, seed: 2);
        SegmentationDataset ds = DatasetCatalog.Open("railsem19", dir.Path, "all");
        var loader = new SegmentationLoader(ds, new LoaderOptions { BatchSize = 1, Workers = 2, Prefetch = 4, Transform = new TransformOptions { Height = 32, Width = 64 } });
        int before = System.Diagnostics.Process.GetCurrentProcess().Threads.Count;
        DataBatch first = loader.Epoch(0).First();
        Assert.Equal(1, first.Count);
        using var cts = new CancellationTokenSource();
        int seen = 0;
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (DataBatch _ in loader.Epoch(0, cts.Token))
            {
                if (++seen == 2)
                {
                    cts.Cancel();
                }
            }
        });
        Assert.Equal(2, seen);
    }
}
