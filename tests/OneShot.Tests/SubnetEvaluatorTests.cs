using Nas.Core.OneShot;
using Nas.Core.SearchSpaces;
using Nas.OneShot.Evaluation;
using Nas.OneShot.Supernets;
using Nas.OneShot.Training;
using Nas.Supernet;
using Nas.Supernet.Checkpoints;
using Nas.Supernet.Layers;
using Nas.TestSupport;
using Nas.TorchTestSupport;
using Nas.Training.Batches;
using Nas.Training.Runs;
using Nas.Weights.Checkpoints;
using static TorchSharp.torch;

namespace Nas.OneShot.Tests;

public class SubnetEvaluatorTests
{
    private const int Classes = 4;

    /// <summary>A supernet trained briefly with SPOS on the pattern data, loaded back from its checkpoint.</summary>
    private static OneShotSupernet TrainedSupernet(TempDirectory dir) => TrainedSupernet(dir, out _);

    private static OneShotSupernet TrainedSupernet(TempDirectory dir, out Tensor stemWeight)
    {
        TorchRuntime.SetThreads(2);
        var o = new SupernetTrainOptions { Epochs = 4, Lr = 0.05, Seed = 3 };
        RunFolder run = RunFolder.Open(dir.Combine("supernet"), "supernet", o, false, false);
        SearchSpace space = SearchSpaceCatalog.Small;
        var schedule = new PathSchedule(space.PositionCount, space.Candidates.Count, PathSampling.Uniform, PathFairness.Strict, 1, o.Seed);
        new SupernetTrainer(o).Run(run, space, Classes, schedule, new PatternBatchSource(1, 13, 4, 32, 64, Classes));
        CheckpointFile ckpt = CheckpointFile.Load(run.LastCheckpointPath);
        stemWeight = Nas.Training.Tensors.TorchTensors.ToTensor(ckpt.ByName["stem.conv.weight"]);
        return OneShotSupernet.Load(ckpt);
    }

    private static List<TensorBatch> Batches(int seed, int count, int epoch = 0) =>
        new PatternBatchSource(seed, count, 4, 32, 64, Classes).Epoch(epoch, CancellationToken.None).ToList();

    [Fact]
    public void ThePathsBatchNormLayersAreTheStemTheChosenCandidatesLastConvAndHead()
    {
        using var supernet = new OneShotSupernet(SearchSpaceCatalog.Small, Classes);
        int[] a = Enumerable.Repeat(0, 20).ToArray();
        int[] b = Enumerable.Repeat(1, 20).ToArray();
        string[] onA = supernet.PathBatchNorms(a).Select(l => l.Name).ToArray();
        string[] onB = supernet.PathBatchNorms(b).Select(l => l.Name).ToArray();

        // Stem, last conv and head are shared; in the blocks only the chosen candidate's layers are on the path.
        Assert.Contains("stem.bn", onA);
        Assert.Contains("last_conv.bn", onA);
        Assert.Contains(onA, n => n.StartsWith("head.", StringComparison.Ordinal));
        Assert.Equal(onA.Where(n => !n.StartsWith("blocks.", StringComparison.Ordinal)), onB.Where(n => !n.StartsWith("blocks.", StringComparison.Ordinal)));
        Assert.All(onA.Where(n => n.StartsWith("blocks.", StringComparison.Ordinal)), n => Assert.Equal("candidates.0", string.Join('.', n.Split('.')[2..4])));
        Assert.All(onB.Where(n => n.StartsWith("blocks.", StringComparison.Ordinal)), n => Assert.Equal("candidates.1", string.Join('.', n.Split('.')[2..4])));
        Assert.Equal(20, onA.Where(n => n.StartsWith("blocks.", StringComparison.Ordinal)).Select(n => n.Split('.')[1]).Distinct().Count());
    }

    [Fact]
    public void BatchNormReestimationChangesTheStatisticsAndImprovesInheritedAccuracy()
    {
        using var dir = new TempDirectory();
        using OneShotSupernet supernet = TrainedSupernet(dir);
        List<TensorBatch> calibration = Batches(11, 6);
        List<TensorBatch> heldOut = Batches(12, 4);
        try
        {
            var evaluator = new SubnetEvaluator(supernet, calibration, heldOut);
            var paths = new[] { Enumerable.Repeat(2, 20).ToArray(), Enumerable.Range(0, 20).Select(p => p % 13).ToArray(), Enumerable.Range(0, 20).Select(p => (p * 5) % 13).ToArray() };
            // First everything with the supernet's shared statistics, then with re-estimated ones (re-estimation
            // replaces the statistics of the layers a path shares with others, e.g. the stem).
            var named = paths.Select(p => supernet.PathBatchNorms(p)).ToArray();
            float[][][] before = named.Select(n => n.Select(l => l.Layer.running_var.data<float>().ToArray()).ToArray()).ToArray();
            double shared = paths.Sum(p => evaluator.Evaluate(p, reestimateBatchNorm: false).Miou);
            double reestimated = 0;
            for (int i = 0; i < paths.Length; i++)
            {
                reestimated += evaluator.Evaluate(paths[i]).Miou;
                string[] unchanged = named[i].Where((l, j) => l.Layer.running_var.data<float>().ToArray().SequenceEqual(before[i][j])).Select(l => l.Name).ToArray();
                Assert.True(unchanged.Length == 0, $"{unchanged.Length} of {named[i].Count} BatchNorm layers kept their statistics: {string.Join(", ", unchanged)}");
            }

            Assert.True(reestimated > shared + (0.05 * paths.Length), $"mean mIoU with re-estimated statistics {reestimated / paths.Length:P1} vs shared statistics {shared / paths.Length:P1}");
        }
        finally
        {
            calibration.Concat(heldOut).ToList().ForEach(b => b.Dispose());
        }
    }

    [Fact]
    public void TheScoreOfAGenotypeDoesNotDependOnWhatWasEvaluatedBefore()
    {
        using var dir = new TempDirectory();
        using OneShotSupernet supernet = TrainedSupernet(dir, out Tensor stemWeight);
        List<TensorBatch> calibration = Batches(11, 3);
        List<TensorBatch> heldOut = Batches(12, 2);
        try
        {
            var evaluator = new SubnetEvaluator(supernet, calibration, heldOut);
            int[] a = Enumerable.Range(0, 20).Select(p => p % 13).ToArray();
            int[] b = Enumerable.Repeat(4, 20).ToArray();
            SubnetScore first = evaluator.Evaluate(a);
            BatchNormalization stemBn = supernet.PathBatchNorms(a).Single(l => l.Name == "stem.bn").Layer;
            float[] statsA = stemBn.running_mean.data<float>().ToArray();
            evaluator.Evaluate(b);
            SubnetScore again = evaluator.Evaluate(a);
            Assert.Equal(first, again);
            Assert.Equal(statsA, stemBn.running_mean.data<float>().ToArray());

            // The re-estimate is the average of the per-batch statistics: for the stem it can be checked directly.
            using var noGrad = no_grad();
            using Tensor expected = zeros(stemBn.Features);
            foreach (TensorBatch batch in calibration)
            {
                using Tensor conv = nn.functional.conv2d(batch.Images, stemWeight, null, strides: [2, 2], padding: [1, 1]);
                using Tensor mean = conv.mean([0, 2, 3]);
                expected.add_(mean);
            }

            expected.div_(calibration.Count);
            Assert.True(expected.allclose(stemBn.running_mean, rtol: 1e-4, atol: 1e-5), "the stem's re-estimated mean is not the average of its per-batch means");
        }
        finally
        {
            calibration.Concat(heldOut).ToList().ForEach(b => b.Dispose());
            stemWeight.Dispose();
        }
    }
}
