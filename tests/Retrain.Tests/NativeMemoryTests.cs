using Nas.Core.Genotypes;
using Nas.Retrain.Training;
using Nas.Supernet;
using Nas.Supernet.Checkpoints;
using Nas.Supernet.Networks;
using Nas.TestSupport;
using Nas.TorchTestSupport;
using Nas.Training.Diagnostics;
using Nas.Training.Runs;

namespace Nas.Retrain.Tests;

[Collection(NativeMemoryCollection.Name)]
public class NativeMemoryTests
{
    [SkippableFact]
    public void TheTrainingLoopDoesNotGrowNativeMemory()
    {
        Skip.IfNot(NativeMemory.IsSupported, "needs /proc/self/status (Linux)");
        TorchRuntime.SetThreads(2);
        using var dir = new TempDirectory();
        using var network = new NetworkModule(Nas.Models.Registry.ModelRegistry.Resolve("squeezenas-mac-small", 4));
        var options = new TrainOptions { Epochs = 1, Lr = 0.01 };
        RunFolder run = RunFolder.Open(dir.Combine("run"), "train", options, false, false);
        long early = 0, late = 0;
        var progress = new Probe(p =>
        {
            if (p.Done == 20)
            {
                early = NativeMemory.TrimAndResetPeak();
            }
            else if (p.Done == 170)
            {
                late = NativeMemory.TrimAndResetPeak();
            }
        });
        new SegmentationTrainer(options).Run(run, network, new PatternBatchSource(1, 180, 2, 64, 128, 4), null, NasCheckpoint.MetadataFor(network), progress: progress);

        // 150 steps; leaking even the logits of each step (0.5 MiB) would add 75 MiB. The margin absorbs allocator noise.
        double growthMiB = (late - early) / (1024.0 * 1024.0);
        Assert.True(growthMiB < 24, $"resident memory grew by {growthMiB:F1} MiB over 150 training steps");
    }

    private sealed class Probe(Action<Nas.Core.Progress.ProgressInfo> action) : IProgress<Nas.Core.Progress.ProgressInfo>
    {
        public void Report(Nas.Core.Progress.ProgressInfo value) => action(value);
    }
}
