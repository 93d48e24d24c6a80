using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Nas.Core;
using Nas.Core.IO;
using Nas.Core.Progress;
using Nas.Supernet.Checkpoints;
using Nas.Supernet.Networks;
using Nas.Training.Batches;
using Nas.Training.Evaluation;
using Nas.Training.Losses;
using Nas.Training.Optimization;
using Nas.Training.Runs;
using Nas.Training.Schedules;
using Nas.Training.Tensors;
using Nas.Weights.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nas.Retrain.Training;

/// <summary>
/// Trains or fine-tunes a standalone network: cross-entropy (ignore 255, optional class weights), SGD or Adam with a
/// per-iteration schedule, gradient accumulation, an optional frozen-encoder first stage, per-epoch validation
/// (loss, mIoU, pixel accuracy) into <c>metrics.csv</c>, atomic <c>last.ckpt</c>/<c>best.ckpt</c>, and exact resume.
/// A non-finite loss stops the run with a clear error and leaves the last good checkpoint in place.
/// </summary>
public sealed class SegmentationTrainer(TrainOptions options, ILogger<SegmentationTrainer>? logger = null)
{
    private const string OptimizerEntry = "optimizer.bin";
    private const string TrainerEntry = "trainer.json";

    private readonly ILogger _logger = logger ?? NullLogger<SegmentationTrainer>.Instance;

    public TrainOptions Options { get; } = options;

    public TrainResult Run(
        RunFolder run,
        NetworkModule network,
        IBatchSource train,
        IBatchSource? validation,
        CheckpointMetadata metadata,
        IReadOnlyList<float>? classWeights = null,
        IProgress<ProgressInfo>? progress = null,
        CancellationToken cancellationToken = default)
    {
        Options.Validate();
        if (train.BatchesPerEpoch < 1)
        {
            throw new NasException("the training split yields no batch; use more images or a smaller --batch");
        }

        manual_seed(Options.Seed);
        using ParameterOptimizer optimizer = Options.Optimizer == OptimizerKind.Sgd
            ? new SgdOptimizer(network.parameters(), Options.Lr, Options.Momentum, Options.WeightDecay)
            : new AdamOptimizer(network.parameters(), Options.Lr, weightDecay: Options.WeightDecay);
        using var loss = new SegmentationLoss(classWeights);
        var metrics = new MetricsCsv<TrainEpochRow>(run.MetricsPath, r => r.Epoch);

        int start = 0;
        long step = 0;
        double bestScore = double.NaN;
        int bestEpoch = 0;
        if (run.Resumed)
        {
            if (File.Exists(run.LastCheckpointPath))
            {
                TrainerState state = Restore(run.LastCheckpointPath, network, optimizer);
                (start, step, bestScore, bestEpoch) = (state.EpochsCompleted, state.GlobalStep, state.BestScore, state.BestEpoch);
                _logger.LogInformation("resumed {Run} after epoch {Epoch}", run.Path, start);
            }
            else
            {
                _logger.LogWarning("{Run} holds no checkpoint yet (the run stopped before its first one was complete): starting over from epoch 1", run.Path);
            }

            RunResume.Prepare(run, start, _logger, metrics.TruncateAfter);
        }

        long stepsPerEpoch = (train.BatchesPerEpoch + Options.Accumulate - 1) / Options.Accumulate;
        LrSchedule schedule = LrSchedule.Create(Options.Schedule, Options.Lr, Options.Epochs, stepsPerEpoch, Options.WarmupIterations) with { StepEpochs = Options.StepEpochs };
        for (int epoch = start; epoch < Options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            bool frozen = epoch < Options.FreezeEncoderEpochs;
            SetEncoderFrozen(network, frozen);
            double lossSum = 0;
            int batches = 0;
            int pending = 0;
            double lr = schedule.At(step);
            Gradients.Clear(network.parameters());
            foreach (TensorBatch batch in train.Epoch(epoch, cancellationToken))
            {
                using (batch)
                using (NewDisposeScope())
                {
                    Tensor value = TrainingLoss(network, loss, batch);
                    double v = value.item<float>();
                    if (!double.IsFinite(v))
                    {
                        throw new NasException(
                            $"the training loss became {v} at epoch {epoch + 1}, batch {batches + 1}; stopping. Lower --lr or check the labels; " +
                            $"the last good checkpoint is kept at {run.LastCheckpointPath}");
                    }

                    using (Scalar accumulate = ((double)Options.Accumulate).ToScalar())
                    {
                        value.div(accumulate).backward();
                    }

                    lossSum += v;
                    batches++;
                    pending++;
                    if (pending == Options.Accumulate)
                    {
                        lr = ApplyStep(optimizer, network, schedule, step++);
                        pending = 0;
                    }

                    progress?.Report(new ProgressInfo("train", ((long)epoch * train.BatchesPerEpoch) + batches, (long)Options.Epochs * train.BatchesPerEpoch,
                        $"epoch {epoch + 1}/{Options.Epochs} loss {lossSum / batches:F4} lr {lr:G3}{(frozen ? " (encoder frozen)" : string.Empty)}"));
                }
            }

            if (pending > 0)
            {
                lr = ApplyStep(optimizer, network, schedule, step++);
            }

            EvaluationResult? eval = validation is null ? null : SegmentationEvaluator.Evaluate(network, network.Classes, validation, null, cancellationToken);
            var row = new TrainEpochRow(epoch + 1, lr, lossSum / Math.Max(1, batches), eval?.MeanLoss ?? double.NaN, eval?.MeanIou ?? double.NaN,
                eval?.PixelAccuracy ?? double.NaN, frozen, clock.Elapsed.TotalSeconds);
            metrics.Append(row);

            double score = Score(row);
            bool improved = double.IsNaN(bestScore) || (!double.IsNaN(score) && score > bestScore);
            if (improved)
            {
                bestScore = score;
                bestEpoch = epoch + 1;
            }

            CheckpointMetadata meta = metadata with
            {
                Epoch = epoch + 1,
                CreatedUtc = DateTime.UtcNow.ToString("O"),
                Metrics = new Dictionary<string, double>
                {
                    ["train_loss"] = row.TrainLoss,
                    ["val_loss"] = row.ValLoss,
                    ["val_miou"] = row.ValMiou,
                    ["val_pixel_accuracy"] = row.ValPixelAccuracy,
                },
            };
            if (improved)
            {
                NasCheckpoint.Save(run.BestCheckpointPath, network, meta);
            }

            var trainerState = new TrainerState(epoch + 1, step, bestScore, bestEpoch);
            NasCheckpoint.Save(run.LastCheckpointPath, network, meta, new Dictionary<string, byte[]>
            {
                [OptimizerEntry] = optimizer.SaveState(),
                [TrainerEntry] = Encoding.UTF8.GetBytes(NasJson.Serialize(trainerState)),
            });
            _logger.LogInformation(
                "epoch {Epoch}/{Epochs}: train loss {Train:F4}, val loss {ValLoss:F4}, val mIoU {Miou:P2}, pixel acc {Acc:P2}, lr {Lr:G3}, {Seconds:F1}s{Best}",
                epoch + 1, Options.Epochs, row.TrainLoss, row.ValLoss, row.ValMiou, row.ValPixelAccuracy, lr, row.Seconds, improved ? " (best)" : string.Empty);
        }

        SetEncoderFrozen(network, false);
        return new TrainResult(Options.Epochs, bestScore, bestEpoch, metrics.ReadAll());
    }

    private double Score(TrainEpochRow row) => Options.BestBy switch
    {
        BestMetric.ValLoss => double.IsNaN(row.ValLoss) ? -row.TrainLoss : -row.ValLoss,
        _ => double.IsNaN(row.ValMiou) ? -row.TrainLoss : row.ValMiou,
    };

    private static double ApplyStep(ParameterOptimizer optimizer, NetworkModule network, LrSchedule schedule, long step)
    {
        double lr = schedule.At(step);
        optimizer.LearningRate = lr;
        optimizer.Step();
        Gradients.Clear(network.parameters());
        return lr;
    }

    private static void SetEncoderFrozen(NetworkModule network, bool frozen)
    {
        network.train();
        foreach ((string _, Parameter p) in network.EncoderParameters())
        {
            p.requires_grad = !frozen;
        }

        if (frozen)
        {
            foreach (nn.Module m in network.EncoderModules())
            {
                m.eval();
            }
        }
    }

    /// <summary>Cross-entropy of the main logits plus each auxiliary output's weighted cross-entropy (DeepLabv3's FCN head).</summary>
    private static Tensor TrainingLoss(NetworkModule network, SegmentationLoss loss, TensorBatch batch)
    {
        if (!network.HasAuxiliaryOutputs)
        {
            return loss.Compute(network.call(batch.Images), batch.Labels);
        }

        (Tensor main, IReadOnlyList<(Tensor Logits, double Weight)> auxiliary) = network.ForwardForTraining(batch.Images);
        Tensor total = loss.Compute(main, batch.Labels);
        foreach ((Tensor logits, double weight) in auxiliary)
        {
            using Scalar w = weight.ToScalar();
            total = total.Plus(loss.Compute(logits, batch.Labels).mul(w));
        }

        return total;
    }

    private static TrainerState Restore(string path, NetworkModule network, ParameterOptimizer optimizer)
    {
        CheckpointFile ckpt = CheckpointFile.Load(path);
        ckpt.LoadInto(network);
        if (!ckpt.Extras.TryGetValue(OptimizerEntry, out byte[]? opt) || !ckpt.Extras.TryGetValue(TrainerEntry, out byte[]? trainer))
        {
            throw new NasException($"{path}: not a resumable training checkpoint (no optimiser/trainer state); start a new run with --init {path}");
        }

        optimizer.LoadState(opt, $"{path}:{OptimizerEntry}");
        return NasJson.Deserialize<TrainerState>(Encoding.UTF8.GetString(trainer), $"{path}:{TrainerEntry}");
    }
}
