using Nas.Core.OneShot;
using Nas.Core.SearchSpaces;
using Nas.Core.Tensors;
using Nas.OneShot.Training;
using Nas.Supernet;
using Nas.Supernet.Checkpoints;
using Nas.TestSupport;
using Nas.TorchTestSupport;
using Nas.Training.Runs;
using Nas.Training.Tensors;
using Nas.Weights.Checkpoints;

namespace Nas.OneShot.Tests;

public class SupernetTrainerTests
{
    private const int Classes = 4;

    private static SupernetTrainOptions Options(PathSampling sampling) => new()
    {
        Epochs = 3,
        Sampling = sampling,
        Fairness = PathFairness.Strict,
        Lr = 0.05,
        Seed = 7,
    };

    private static PathSchedule Schedule(SupernetTrainOptions o)
    {
        SearchSpace space = SearchSpaceCatalog.Small;
        int[] largest = Enumerable.Repeat(5, space.PositionCount).ToArray();
        int[] smallest = Enumerable.Repeat(12, space.PositionCount).ToArray();
        return new PathSchedule(space.PositionCount, space.Candidates.Count, o.Sampling, o.Fairness, o.ResolvedRandomPaths, o.Seed, largest, smallest);
    }

    private static SupernetTrainResult Train(string folder, SupernetTrainOptions o, bool resume = false, CancellationToken token = default, IProgress<Nas.Core.Progress.ProgressInfo>? progress = null)
    {
        TorchRuntime.SetThreads(2);
        RunFolder run = RunFolder.Open(folder, "supernet", o, resume, force: false);
        return new SupernetTrainer(o).Run(run, SearchSpaceCatalog.Small, Classes, Schedule(o), new PatternBatchSource(1, 4, 2, 32, 64, Classes), null, progress, token);
    }

    private static void AssertSameCheckpoint(string a, string b)
    {
        CheckpointFile x = CheckpointFile.Load(a);
        CheckpointFile y = CheckpointFile.Load(b);
        Assert.Equal(x.ByName.Keys.Order(), y.ByName.Keys.Order());
        foreach (TensorData t in x.Tensors)
        {
            Assert.True(t.Bytes.AsSpan().SequenceEqual(y.ByName[t.Name].Bytes), $"tensor '{t.Name}' differs");
        }

        Assert.Equal(x.Extras["optimizer.bin"], y.Extras["optimizer.bin"]);
        Assert.Equal(x.Extras["trainer.json"], y.Extras["trainer.json"]);
    }

    private static bool Same(TorchSharp.torch.Tensor a, TorchSharp.torch.Tensor b)
    {
        using TorchSharp.torch.Tensor eq = a.eq(b);
        using TorchSharp.torch.Tensor all = eq.all();
        return a.shape.SequenceEqual(b.shape) && all.item<bool>();
    }

    private static string[] MetricsWithoutTime(string runFolder) =>
        File.ReadAllLines(Path.Combine(runFolder, "metrics.csv")).Select(l => l[..l.LastIndexOf(',')]).ToArray();

    [Theory]
    [InlineData(PathSampling.Uniform)]
    [InlineData(PathSampling.Sandwich)]
    public void AnInterruptedRunResumesBitIdentically(PathSampling sampling)
    {
        using var dir = new TempDirectory();
        SupernetTrainOptions o = Options(sampling);
        Train(dir.Combine("straight"), o);

        // Cancel in the middle of epoch 2 (step 6 of 4 per epoch), then resume.
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress(p =>
        {
            if (p.Done == 6)
            {
                cts.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() => Train(dir.Combine("interrupted"), o, token: cts.Token, progress: progress));
        Train(dir.Combine("interrupted"), o, resume: true);

        AssertSameCheckpoint(dir.Combine("straight", "checkpoints", "last.ckpt"), dir.Combine("interrupted", "checkpoints", "last.ckpt"));
        Assert.Equal(MetricsWithoutTime(dir.Combine("straight")), MetricsWithoutTime(dir.Combine("interrupted")));
        Assert.Equal(4, MetricsWithoutTime(dir.Combine("straight")).Length);
    }

    [Fact]
    public void ACrashDuringTheFirstCheckpointResumesFromScratchExactly()
    {
        using var dir = new TempDirectory();
        SupernetTrainOptions o = Options(PathSampling.Uniform);
        Train(dir.Combine("straight"), o);

        // The state a crash while writing the first checkpoint leaves: config, epoch 1's metrics row, a partial
        // temporary file beside the checkpoint, and no checkpoint.
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress(p =>
        {
            if (p.Done == 5)
            {
                cts.Cancel();
            }
        });
        string crashed = dir.Combine("crashed");
        Assert.ThrowsAny<OperationCanceledException>(() => Train(crashed, o, token: cts.Token, progress: progress));
        string last = Path.Combine(crashed, "checkpoints", "last.ckpt");
        File.WriteAllBytes(Path.Combine(crashed, "checkpoints", ".last.ckpt.0123456789abcdef.tmp"), File.ReadAllBytes(last)[..1000]);
        File.Delete(last);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(crashed, "metrics.csv")).Length);

        Train(crashed, o, resume: true);
        AssertSameCheckpoint(dir.Combine("straight", "checkpoints", "last.ckpt"), last);
        Assert.Equal(MetricsWithoutTime(dir.Combine("straight")), MetricsWithoutTime(crashed));
    }

    [Fact]
    public void OnlyTheWeightsOfTheStepsPathsChange()
    {
        // One uniform step trains one path: the candidates it did not use keep their initial weights exactly.
        using var dir = new TempDirectory();
        SupernetTrainOptions o = Options(PathSampling.Uniform) with { Epochs = 1 };
        TorchRuntime.SetThreads(2);
        RunFolder run = RunFolder.Open(dir.Combine("one"), "supernet", o, false, false);
        PathSchedule schedule = Schedule(o);
        new SupernetTrainer(o).Run(run, SearchSpaceCatalog.Small, Classes, schedule, new PatternBatchSource(1, 1, 2, 32, 64, Classes));

        TorchSharp.torch.manual_seed(o.Seed);
        using var initial = new Nas.Supernet.Networks.SqueezeNasSupernet(SearchSpaceCatalog.Small, Classes);
        var before = initial.state_dict();
        CheckpointFile after = CheckpointFile.Load(run.LastCheckpointPath);
        int[] path = schedule.PathsFor(0)[0];
        int changedOnPath = 0;
        var offChanged = new List<string>();
        int offTotal = 0;
        foreach (TensorData stored in after.Tensors)
        {
            string key = stored.Name;
            using TorchSharp.torch.Tensor value = TorchTensors.ToTensor(stored);
            string[] parts = key.Split('.');
            bool candidate = parts.Length > 3 && parts[0] == "blocks" && parts[2] == "candidates";
            bool same = Same(value, before[key]);
            if (candidate && int.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture) != path[int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)])
            {
                offTotal++;
                if (!same)
                {
                    offChanged.Add(key);
                }
            }
            else if (candidate && !same)
            {
                changedOnPath++;
            }
        }

        Assert.True(offChanged.Count == 0, $"{offChanged.Count} of {offTotal} tensors off the trained path changed, e.g. {string.Join(", ", offChanged.Take(5))}; path {string.Join(',', path)}");
        Assert.True(changedOnPath > 20, $"only {changedOnPath} tensors on the path changed");
    }

    private sealed class SyncProgress(Action<Nas.Core.Progress.ProgressInfo> action) : IProgress<Nas.Core.Progress.ProgressInfo>
    {
        public void Report(Nas.Core.Progress.ProgressInfo value) => action(value);
    }
}
