using Microsoft.Extensions.Logging;
using Nas.Core;
using Nas.Models;
using Nas.Models.Registry;
using Nas.Retrain.Training;
using Nas.Supernet;
using Nas.Supernet.Checkpoints;
using Nas.Supernet.Networks;
using Nas.TestSupport;
using Nas.TorchTestSupport;
using Nas.Training.Runs;
using Nas.Weights.Checkpoints;
using static TorchSharp.torch;

namespace Nas.Retrain.Tests;

public class SegmentationTrainerTests
{
    private static NetworkSpec Net => ModelRegistry.Resolve("squeezenas-lat-small", 4);

    private static TrainResult Train(string folder, TrainOptions options, bool resume = false, CancellationToken token = default, IProgress<Nas.Core.Progress.ProgressInfo>? progress = null, ILogger<SegmentationTrainer>? logger = null)
    {
        TorchRuntime.SetThreads(2);
        manual_seed(options.Seed);
        using var network = new NetworkModule(Net);
        RunFolder run = RunFolder.Open(folder, "train", options, resume, force: false);
        var trainer = new SegmentationTrainer(options, logger);
        return trainer.Run(run, network, new PatternBatchSource(5, 6, 2, 64, 128, 4), new PatternBatchSource(6, 2, 2, 64, 128, 4),
            NasCheckpoint.MetadataFor(network), progress: progress, cancellationToken: token);
    }

    [Fact]
    public void TrainingImprovesValidationAndWritesTheRunFolder()
    {
        using var dir = new TempDirectory();
        TrainResult result = Train(dir.Combine("run"), new TrainOptions { Epochs = 4, Lr = 0.05, Accumulate = 2, FreezeEncoderEpochs = 1 });
        Assert.Equal(4, result.History.Count);
        Assert.True(result.History[^1].ValMiou > result.History[0].ValMiou, $"mIoU {result.History[0].ValMiou} -> {result.History[^1].ValMiou}");
        Assert.True(result.History[0].EncoderFrozen);
        Assert.False(result.History[1].EncoderFrozen);
        Assert.True(File.Exists(dir.Combine("run", "checkpoints", "best.ckpt")));
        CheckpointFile best = CheckpointFile.Load(dir.Combine("run", "checkpoints", "best.ckpt"));
        Assert.Equal(result.BestEpoch, best.Metadata.Epoch);
    }

    [Fact]
    public void A_frozen_encoder_keeps_its_weights_and_batchnorm_statistics()
    {
        using var dir = new TempDirectory();
        TorchRuntime.SetThreads(2);
        manual_seed(1);
        using var network = new NetworkModule(Net);
        Dictionary<string, float[]> before = Snapshot(network);
        var options = new TrainOptions { Epochs = 1, Lr = 0.05, FreezeEncoderEpochs = 1 };
        RunFolder run = RunFolder.Open(dir.Combine("run"), "train", options, false, force: false);
        new SegmentationTrainer(options).Run(run, network, new PatternBatchSource(5, 6, 2, 64, 128, 4), null, NasCheckpoint.MetadataFor(network));
        Dictionary<string, float[]> after = Snapshot(network);

        string[] encoder = before.Keys.Where(network.Spec.IsEncoderTensor).ToArray();
        Assert.Contains(encoder, k => k.EndsWith("running_mean", StringComparison.Ordinal));
        Assert.All(encoder, k => Assert.True(before[k].SequenceEqual(after[k]), $"encoder tensor {k} changed while frozen"));
        string[] head = before.Keys.Where(k => !network.Spec.IsEncoderTensor(k) && !k.EndsWith("num_batches_tracked", StringComparison.Ordinal)).ToArray();
        Assert.Contains(head, k => !before[k].SequenceEqual(after[k]));
    }

    [Fact]
    public void AnInterruptedTrainingResumesExactly()
    {
        using var dir = new TempDirectory();
        var options = new TrainOptions { Epochs = 3, Lr = 0.05, Seed = 2 };
        TrainResult straight = Train(dir.Combine("a"), options);
        using var cts = new CancellationTokenSource();
        var progress = new Progress(p =>
        {
            if (p.Done == 9)
            {
                cts.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() => Train(dir.Combine("b"), options, token: cts.Token, progress: progress));
        TrainResult resumed = Train(dir.Combine("b"), options, resume: true);
        Assert.Equal(straight.History.Select(r => r.TrainLoss), resumed.History.Select(r => r.TrainLoss));
        Assert.Equal(straight.History.Select(r => r.ValMiou), resumed.History.Select(r => r.ValMiou));
    }

    [Fact]
    public void ACrashBeforeTheFirstCompleteCheckpointStartsOverWithoutRepeatedRows()
    {
        using var dir = new TempDirectory();
        var options = new TrainOptions { Epochs = 1, Lr = 0.05, Seed = 2 };

        // The state a kill -9 during the first last.ckpt write leaves: metrics rows, a temp file, no checkpoint.
        TrainResult crashed = Train(dir.Combine("b"), options);
        string checkpoints = dir.Combine("b", "checkpoints");
        File.Delete(Path.Combine(checkpoints, "last.ckpt"));
        string orphan = Path.Combine(checkpoints, $".last.ckpt.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(orphan, "half a checkpoint");

        var log = new RecordingLogger();
        TrainResult resumed = Train(dir.Combine("b"), options, resume: true, logger: log);
        Assert.Equal([1], resumed.History.Select(r => r.Epoch));
        Assert.Equal(crashed.History[0].TrainLoss, resumed.History[0].TrainLoss);
        Assert.False(File.Exists(orphan));
        Assert.Contains(log.Lines, l => l.StartsWith("Warning: ", StringComparison.Ordinal) && l.Contains("starting over from epoch 1", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.Contains("removed 1 temporary file(s) of interrupted writes: checkpoints/.last.ckpt.", StringComparison.Ordinal));
    }

    [Fact]
    public void InvalidOptionsAreRejected()
    {
        Assert.Throws<NasException>(() => new TrainOptions { Accumulate = 0 }.Validate());
        Assert.Throws<NasException>(() => new TrainOptions { Lr = -1 }.Validate());
        Assert.Throws<NasException>(() => new TrainOptions { Epochs = 2, FreezeEncoderEpochs = 3 }.Validate());
    }

    private static Dictionary<string, float[]> Snapshot(NetworkModule network) =>
        network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.to_type(ScalarType.Float32).data<float>().ToArray());
    /// <summary>Keeps every message as <c>Level: text</c>, to check what a run tells its user.</summary>
    private sealed class RecordingLogger : ILogger<SegmentationTrainer>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add($"{logLevel}: {formatter(state, exception)}");
    }

    private sealed class Progress(Action<Nas.Core.Progress.ProgressInfo> action) : IProgress<Nas.Core.Progress.ProgressInfo>
    {
        public void Report(Nas.Core.Progress.ProgressInfo value) => action(value);
    }
}
