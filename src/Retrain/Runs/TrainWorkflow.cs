using Microsoft.Extensions.Logging;
using Nas.Core;
using Nas.Core.Logging;
using Nas.Core.Progress;
using Nas.Data.Datasets;
using Nas.Models;
using Nas.Models.Registry;
using Nas.Retrain.Initialization;
using Nas.Retrain.Training;
using Nas.Supernet;
using Nas.Supernet.Checkpoints;
using Nas.Supernet.Networks;
using Nas.Training.Data;
using Nas.Training.Plots;
using Nas.Training.Runs;
using Nas.Weights.Checkpoints;

namespace Nas.Retrain.Runs;

/// <summary>
/// A complete training run from a <see cref="TrainRunConfig"/>: builds the network for the dataset's classes, applies
/// <c>--init</c>, trains with validation into the run folder and draws the training curves.
/// </summary>
public static class TrainWorkflow
{
    public static TrainResult Run(
        TrainRunConfig config,
        string outDir,
        bool resume,
        bool force,
        ILoggerFactory loggerFactory,
        IProgress<ProgressInfo>? progress = null,
        CancellationToken cancellationToken = default)
    {
        config.Train.Validate();
        SegmentationDataset train = config.Data.Open(config.Data.TrainSplit);
        SegmentationDataset? val = string.IsNullOrEmpty(config.Data.ValSplit) ? null : config.Data.Open(config.Data.ValSplit);
        NetworkSpec spec = ModelRegistry.Resolve(config.Arch, train.Info.ClassCount, config.ModelOptions());
        spec.CheckInputSize(config.Data.CropSize.Height, config.Data.CropSize.Width);
        float[]? classWeights = ClassWeighting.Resolve(config.ClassWeights, train);

        RunFolder run = RunFolder.Open(outDir, "train", config, resume, force);
        using var logs = new TeeLoggerFactory(loggerFactory, new FileLoggerProvider(run.LogPath));
        ILogger logger = logs.CreateLogger(typeof(TrainWorkflow).FullName!);
        logger.LogInformation("train {Arch} ({Genotype}) on {Dataset}: {Train} training / {Val} validation images, {Classes} classes",
            spec.Name, spec.Architecture, train.Info.Name, train.Count, val?.Count ?? 0, train.Info.ClassCount);
        if (classWeights is not null)
        {
            logger.LogInformation("class weights ({Spec}): {Weights}", config.ClassWeights, string.Join(", ", classWeights.Select(w => w.ToString("F2", System.Globalization.CultureInfo.InvariantCulture))));
        }

        TorchRuntime.SetThreads(config.Threads);
        TorchSharp.torch.manual_seed(config.Train.Seed);
        using var network = new NetworkModule(spec);
        if (!run.Resumed)
        {
            WeightInitializer.Apply(config.Init, network, logger);
        }

        CheckpointMetadata metadata = NasCheckpoint.MetadataFor(network, $"nas train ({config.Init})") with
        {
            Dataset = train.Info.Name,
            ClassNames = train.Info.ClassNames,
            Palette = train.Info.Classes.Select(c => (IReadOnlyList<int>)[c.R, c.G, c.B]).ToArray(),
        };
        var trainer = new SegmentationTrainer(config.Train, logs.CreateLogger<SegmentationTrainer>());
        TrainResult result = trainer.Run(run, network,
            new DatasetBatchSource(config.Data.TrainLoader(train, config.Train.Seed, spec.Input)),
            val is null ? null : new DatasetBatchSource(config.Data.EvalLoader(val, spec.Input)),
            metadata, classWeights, progress, cancellationToken);
        WritePlots(run, result);
        logger.LogInformation("best epoch {Epoch} ({Metric} {Score:F4}); checkpoints in {Dir}", result.BestEpoch, config.Train.BestBy, result.BestScore, run.CheckpointDirectory);
        return result;
    }

    public static void WritePlots(RunFolder run, TrainResult result)
    {
        double[] epochs = result.History.Select(r => (double)r.Epoch).ToArray();
        RunPlots.Lines(run.Combine("plots", "loss.png"), "Training curves", "epoch", "loss",
        [
            ("train loss", epochs, result.History.Select(r => r.TrainLoss).ToArray()),
            ("val loss", epochs, result.History.Select(r => r.ValLoss).ToArray()),
        ]);
        RunPlots.Lines(run.Combine("plots", "miou.png"), "Validation", "epoch", "%",
        [
            ("val mIoU", epochs, result.History.Select(r => r.ValMiou * 100).ToArray()),
            ("pixel accuracy", epochs, result.History.Select(r => r.ValPixelAccuracy * 100).ToArray()),
        ]);
    }
}
