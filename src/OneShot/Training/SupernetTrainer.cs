using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Nas.Core;
using Nas.Core.IO;
using Nas.Core.OneShot;
using Nas.Core.Progress;
using Nas.Core.SearchSpaces;
using Nas.OneShot.Supernets;
using Nas.Supernet.Checkpoints;
using Nas.Training.Batches;
using Nas.Training.Losses;
using Nas.Training.Optimization;
using Nas.Training.Runs;
using Nas.Training.Schedules;
using Nas.Weights.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Nas.OneShot.Training;

/// <summary>
/// Weight-sharing training of the supernet without architecture parameters: every step clears the gradients,
/// runs the step's paths from a <see cref="PathSchedule"/> (one for SPOS, largest + smallest + random ones for the
/// sandwich rule) with the loss of each divided by the number of paths, and makes one SGD step; only the weights on
/// those paths receive gradients (the others are skipped, momentum and decay included). Each epoch appends to
/// <c>metrics.csv</c> and writes <c>checkpoints/last.ckpt</c> atomically; the batches depend on (seed, epoch) and the
/// paths on (seed, step), so a resumed run is bit-identical to an uninterrupted one — also after a crash during the
/// very first checkpoint, which leaves a metrics row but no checkpoint (the row is dropped and training restarts).
/// </summary>
public sealed class SupernetTrainer(SupernetTrainOptions options, ILogger<SupernetTrainer>? logger = null)
{
    /// <summary>Checkpoint entry holding the run's <see cref="SupernetTrainConfig"/> (data, input, held-out share).</summary>
    public const string ConfigEntry = "supernet_run.json";

    private const string OptimizerEntry = "optimizer.bin";
    private const string TrainerEntry = "trainer.json";

    private readonly ILogger _logger = logger ?? NullLogger<SupernetTrainer>.Instance;

    public SupernetTrainOptions Options { get; } = options;

    /// <param name="extras">Further checkpoint entries (the workflow stores its configuration under <see cref="ConfigEntry"/>).</param>
    public SupernetTrainResult Run(
        RunFolder run,
        SearchSpace space,
        int classes,
        PathSchedule schedule,
        IBatchSource train,
        IReadOnlyDictionary<string, byte[]>? extras = null,
        IProgress<ProgressInfo>? progress = null,
        CancellationToken cancellationToken = default)
    {
        Options.Validate();
        if (train.BatchesPerEpoch < 1)
        {
            throw new NasException("the training part yields no batch; use more images or a smaller --batch");
        }

        if (schedule.Positions != space.PositionCount || schedule.Candidates != space.Candidates.Count)
        {
            throw new NasException($"the path schedule is for {schedule.Positions}x{schedule.Candidates}, the space '{space.Name}' has {space.PositionCount}x{space.Candidates.Count}");
        }

        manual_seed(Options.Seed);
        using var supernet = new OneShotSupernet(space, classes);
        using var optimizer = new SgdOptimizer(supernet.TrainableParameters(), Options.Lr, Options.Momentum, Options.WeightDecay);
        using var loss = new SegmentationLoss();
        var metrics = new MetricsCsv<SupernetEpochRow>(run.MetricsPath, r => r.Epoch);
        int start = 0;
        long step = 0;
        if (run.Resumed && File.Exists(run.LastCheckpointPath))
        {
            (start, step) = Restore(run.LastCheckpointPath, supernet, optimizer);
            _logger.LogInformation("resumed {Run} after epoch {Epoch}", run.Path, start);
        }

        metrics.TruncateAfter(start);
        LrSchedule lrSchedule = LrSchedule.Create(Options.Schedule, Options.Lr, Options.Epochs, train.BatchesPerEpoch);
        long totalSteps = (long)Options.Epochs * train.BatchesPerEpoch;
        bool sandwich = schedule.Sampling == PathSampling.Sandwich;
        for (int epoch = start; epoch < Options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            double lossSum = 0, largestSum = 0, smallestSum = 0, lr = 0;
            long lossCount = 0, steps = 0;
            foreach (TensorBatch batch in train.Epoch(epoch, cancellationToken))
            {
                using (batch)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    lr = lrSchedule.At(step);
                    optimizer.LearningRate = lr;
                    IReadOnlyList<int[]> paths = schedule.PathsFor(step);
                    double[] losses = Step(supernet, optimizer, loss, batch, paths, epoch);
                    lossSum += losses.Sum();
                    lossCount += losses.Length;
                    if (sandwich)
                    {
                        largestSum += losses[0];
                        smallestSum += losses[1];
                    }

                    step++;
                    steps++;
                    progress?.Report(new ProgressInfo("supernet", step, totalSteps,
                        $"epoch {epoch + 1}/{Options.Epochs} loss {lossSum / Math.Max(1, lossCount):F3} lr {lr:G3}"));
                }
            }

            var row = new SupernetEpochRow(
                epoch + 1,
                lr,
                lossSum / Math.Max(1, lossCount),
                sandwich ? largestSum / Math.Max(1, steps) : double.NaN,
                sandwich ? smallestSum / Math.Max(1, steps) : double.NaN,
                schedule.PathsPerStep,
                steps,
                clock.Elapsed.TotalSeconds);
            metrics.Append(row);
            Checkpoint(run, supernet, optimizer, epoch + 1, step, schedule, extras);
            _logger.LogInformation("epoch {Epoch}/{Epochs}: loss {Loss:F4}{Sandwich}, lr {Lr:G3}, {Seconds:F1}s",
                epoch + 1, Options.Epochs, row.Loss, sandwich ? $" (largest {row.LargestLoss:F4}, smallest {row.SmallestLoss:F4})" : string.Empty, lr, row.Seconds);
        }

        return new SupernetTrainResult(Options.Epochs, metrics.ReadAll(), run.LastCheckpointPath);
    }

    private static double[] Step(OneShotSupernet supernet, ParameterOptimizer optimizer, SegmentationLoss loss, TensorBatch batch, IReadOnlyList<int[]> paths, int epoch)
    {
        supernet.Train();
        Gradients.Clear(supernet.TrainableParameters());
        var values = new double[paths.Count];
        using Scalar share = ((double)paths.Count).ToScalar();
        for (int i = 0; i < paths.Count; i++)
        {
            using var scope = NewDisposeScope();
            Tensor logits = supernet.Forward(batch.Images, paths[i]);
            Tensor ce = loss.Compute(logits, batch.Labels);
            double value = ce.item<float>();
            if (!double.IsFinite(value))
            {
                throw new NasException($"the supernet loss became {value} in epoch {epoch + 1}; lower --lr or check the data (the last checkpoint is kept)");
            }

            ce.div(share).backward();
            values[i] = value;
        }

        optimizer.Step();
        return values;
    }

    private void Checkpoint(RunFolder run, OneShotSupernet supernet, ParameterOptimizer optimizer, int epochsCompleted, long step, PathSchedule schedule, IReadOnlyDictionary<string, byte[]>? extras)
    {
        var entries = new Dictionary<string, byte[]>(extras ?? new Dictionary<string, byte[]>())
        {
            [OptimizerEntry] = optimizer.SaveState(),
            [TrainerEntry] = Encoding.UTF8.GetBytes(NasJson.Serialize(new SupernetTrainerState(epochsCompleted, step))),
        };
        string source = $"nas supernet train ({schedule.Sampling.ToString().ToLowerInvariant()}, fairness {schedule.Fairness.ToString().ToLowerInvariant()}, {schedule.PathsPerStep} path(s) per step)";
        supernet.Save(run.LastCheckpointPath, source, epochsCompleted, entries);
    }

    private static (int Epoch, long Step) Restore(string path, OneShotSupernet supernet, ParameterOptimizer optimizer)
    {
        CheckpointFile ckpt = CheckpointFile.Load(path);
        supernet.LoadWeights(ckpt);
        if (!ckpt.Extras.TryGetValue(OptimizerEntry, out byte[]? opt) || !ckpt.Extras.TryGetValue(TrainerEntry, out byte[]? trainer))
        {
            throw new NasException($"{path}: not a resumable supernet checkpoint (no optimiser or trainer state)");
        }

        optimizer.LoadState(opt, $"{path}:{OptimizerEntry}");
        SupernetTrainerState state = NasJson.Deserialize<SupernetTrainerState>(Encoding.UTF8.GetString(trainer), $"{path}:{TrainerEntry}");
        return (state.EpochsCompleted, state.GlobalStep);
    }
}
