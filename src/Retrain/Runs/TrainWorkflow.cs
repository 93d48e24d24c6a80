using Microsoft.Extensions.Logging;
using Nas.Core;
using Nas.Core.Logging;
using Nas.Core.Progress;
using Nas.Core.SearchSpaces;
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
        // Everything that can be wrong with the options, the data or the initial weights fails here, before the run
        // folder exists: a corrected retry must not meet "already holds a run".
        config.Train.Validate();
        config.Data.Validate();
        if (config.Threads < 1)
        {
            throw new NasException($"--threads must be >= 1 (got {config.Threads})");
        }

        SegmentationDataset train = config.Data.Open(config.Data.TrainSplit);
        SegmentationDataset? val = string.IsNullOrEmpty(config.Data.ValSplit) ? null : config.Data.Open(config.Data.ValSplit);
        NetworkSpec spec = ModelRegistry.Resolve(config.Arch, train.Info.ClassCount, config.ModelOptions());
        float[]? classWeights = ClassWeighting.Resolve(config.ClassWeights, train);
        CheckSize(spec, config.Data.CropSize, "--crop");
        if (config.Data.EvalSize is not null && InputSize.TryParse(config.Data.EvalSize, out InputSize evalSize))
        {
            CheckSize(spec, evalSize, "--eval-size");
        }
        var trainSource = new DatasetBatchSource(config.Data.TrainLoader(train, config.Train.Seed, spec.Input));
        DatasetBatchSource? valSource = val is null ? null : new DatasetBatchSource(config.Data.EvalLoader(val, spec.Input));
        if (trainSource.BatchesPerEpoch < 1)
        {
            throw new NasException($"the training split has {train.Count} images: no full batch of {config.Data.Batch}; use more images or a smaller --batch");
        }

        RunPreflight.CheckCrop(config.Data, train, "--crop");
        RunPreflight.CheckMemory(config.Data.CropSize, config.Data.Batch, RunPreflight.TrainBytesPerPixel, "training", "--crop");

        TorchRuntime.SetThreads(config.Threads);
        TorchSharp.torch.manual_seed(config.Train.Seed);
        using var network = new NetworkModule(spec);
        // A resumed run takes its weights from last.ckpt; one that stopped before its first checkpoint starts over from --init.
        IReadOnlyList<string> initReport = resume && RunFolder.HasLastCheckpoint(outDir) ? [] : WeightInitializer.Apply(config.Init, network);

        RunFolder run = RunFolder.Open(outDir, "train", config, resume, force);
        using var logs = new TeeLoggerFactory(loggerFactory, new FileLoggerProvider(run.LogPath));
        ILogger logger = logs.CreateLogger(typeof(TrainWorkflow).FullName!);
        logger.LogInformation("train {Arch} ({Genotype}) on {Dataset}: {Train} training / {Val} validation images, {Classes} classes",
            spec.Name, spec.Architecture, train.Info.Name, train.Count, val?.Count ?? 0, train.Info.ClassCount);
        if (classWeights is not null)
        {
            logger.LogInformation("class weights ({Spec}): {Weights}", config.ClassWeights, string.Join(", ", classWeights.Select(w => w.ToString("F2", System.Globalization.CultureInfo.InvariantCulture))));
        }

        foreach (string line in initReport)
        {
            logger.LogInformation("{Line}", line);
        }

        CheckpointMetadata metadata = NasCheckpoint.MetadataFor(network, $"nas train ({config.Init})") with
        {
            Dataset = train.Info.Name,
            ClassNames = train.Info.ClassNames,
            Palette = train.Info.Classes.Select(c => (IReadOnlyList<int>)[c.R, c.G, c.B]).ToArray(),
        };
        var trainer = new SegmentationTrainer(config.Train, logs.CreateLogger<SegmentationTrainer>());
        TrainResult result = trainer.Run(run, network, trainSource, valSource, metadata, classWeights, progress, cancellationToken);
        WritePlots(run, result);
        logger.LogInformation("best epoch {Epoch} ({Metric} {Score:F4}); checkpoints in {Dir}", result.BestEpoch, config.Train.BestBy, result.BestScore, run.CheckpointDirectory);
        return result;
    }

    /// <summary>A size the network cannot take fails here, before the run folder exists, naming the network's rule.</summary>
    private static void CheckSize(NetworkSpec spec, InputSize size, string option)
    {
        try
        {
            spec.CheckInputSize(size.Height, size.Width);
        }
        catch (NasException e)
        {
            throw new NasException($"{option} {size}: {e.Message}", e);
        }
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
