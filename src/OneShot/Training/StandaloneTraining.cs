using Microsoft.Extensions.Logging;
using Nas.Core;
using Nas.Core.Genotypes;
using Nas.Core.Logging;
using Nas.Core.Progress;
using Nas.Models.SqueezeNas;
using Nas.Retrain.Training;
using Nas.Supernet.Checkpoints;
using Nas.Supernet.Networks;
using Nas.Training.Batches;
using Nas.Training.Runs;
using Nas.Weights.Checkpoints;

namespace Nas.OneShot.Training;

/// <summary>
/// Trains a genotype from scratch with a fixed budget through the retrain trainer (<see cref="SegmentationTrainer"/>)
/// into its own run folder and returns the final epoch's validation row — the same budget for every network, so the
/// last epoch (not the best) is what is compared. A finished folder is read back; an interrupted one is resumed.
/// </summary>
public static class StandaloneTraining
{
    public static TrainEpochRow Run(
        string dir,
        NamedGenotype genotype,
        TrainOptions options,
        string dataDescription,
        IBatchSource train,
        IBatchSource validation,
        ILoggerFactory loggerFactory,
        IProgress<ProgressInfo>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var config = new StandaloneRunConfig(genotype.Genotype.CanonicalString, genotype.Classes, dataDescription, options);
        bool exists = File.Exists(Path.Combine(dir, "run.json"));
        RunFolder run = RunFolder.Open(dir, "train", config, resume: exists, force: false);
        var metrics = new MetricsCsv<TrainEpochRow>(run.MetricsPath, r => r.Epoch);
        if (exists && File.Exists(run.LastCheckpointPath) && CompletedEpochs(run.LastCheckpointPath) >= options.Epochs)
        {
            return metrics.ReadAll().Last(r => r.Epoch == options.Epochs);
        }

        using var logs = new TeeLoggerFactory(loggerFactory, new FileLoggerProvider(run.LogPath));
        TorchSharp.torch.manual_seed(options.Seed);
        using var network = new NetworkModule(SqueezeNasGraphs.Spec(genotype));
        CheckpointMetadata metadata = NasCheckpoint.MetadataFor(network, $"stand-alone training ({dataDescription})");
        TrainResult result = new SegmentationTrainer(options, logs.CreateLogger<SegmentationTrainer>())
            .Run(run, network, train, validation, metadata, null, progress, cancellationToken);
        return result.History.Count > 0 ? result.History[^1] : throw new NasException($"{dir}: training produced no epoch");
    }

    private static int CompletedEpochs(string checkpoint)
    {
        return CheckpointFile.Load(checkpoint).Metadata.Epoch;
    }
}
