using System.Text;
using Microsoft.Extensions.Logging;
using Nas.Core;
using Nas.Core.Evolution;
using Nas.Core.IO;
using Nas.Core.Logging;
using Nas.Core.OneShot;
using Nas.Core.Progress;
using Nas.Core.SearchSpaces;
using Nas.OneShot.Data;
using Nas.OneShot.Search;
using Nas.Supernet;
using Nas.Training.Plots;
using Nas.Training.Runs;
using Nas.Weights.Checkpoints;

namespace Nas.OneShot.Training;

/// <summary>
/// <c>nas supernet train</c>: opens the data (training split minus the held-out part), builds the path schedule
/// (sandwich: largest and smallest network by MACs or a table), trains the supernet into the run folder and draws
/// the loss curve. The resolved configuration goes into every checkpoint, so searches on it need only the file.
/// </summary>
public static class SupernetTrainWorkflow
{
    public static SupernetTrainResult Run(
        SupernetTrainConfig config,
        string outDir,
        bool resume,
        bool force,
        ILoggerFactory loggerFactory,
        IProgress<ProgressInfo>? progress = null,
        CancellationToken cancellationToken = default)
    {
        config = config with { Data = config.Data with { Root = string.IsNullOrWhiteSpace(config.Data.Root) ? config.Data.Root : Path.GetFullPath(config.Data.Root) } };
        config.Validate();
        SearchSpace space = SearchSpaceCatalog.Resolve(config.Space);
        OneShotData data = OneShotData.Open(config);
        PathSchedule schedule = CreateSchedule(config, space, data.Classes);

        RunFolder run = RunFolder.Open(outDir, "supernet", config, resume, force);
        using var logs = new TeeLoggerFactory(loggerFactory, new FileLoggerProvider(run.LogPath));
        ILogger logger = logs.CreateLogger(typeof(SupernetTrainWorkflow).FullName!);
        logger.LogInformation(
            "supernet {Space} at {Input} on {Dataset}: {Weights} training / {HeldOut} held-out images; {Sampling} sampling, fairness {Fairness}, {Paths} path(s) per step",
            space.Name, data.Input, data.Train.Info.Name, data.Weights.Count, data.HeldOut.Count, config.Train.Sampling, config.Train.Fairness, schedule.PathsPerStep);

        TorchRuntime.SetThreads(config.Threads);
        var extras = new Dictionary<string, byte[]> { [SupernetTrainer.ConfigEntry] = Encoding.UTF8.GetBytes(NasJson.Serialize(config)) };
        var trainer = new SupernetTrainer(config.Train, logs.CreateLogger<SupernetTrainer>());
        SupernetTrainResult result = trainer.Run(run, space, data.Classes, schedule, data.WeightSource(config.Train.Seed), extras, progress, cancellationToken);
        double[] epochs = result.History.Select(r => (double)r.Epoch).ToArray();
        var series = new List<(string, double[], double[])> { ("mean over paths", epochs, result.History.Select(r => r.Loss).ToArray()) };
        if (config.Train.Sampling == PathSampling.Sandwich)
        {
            series.Add(("largest", epochs, result.History.Select(r => r.LargestLoss).ToArray()));
            series.Add(("smallest", epochs, result.History.Select(r => r.SmallestLoss).ToArray()));
        }

        RunPlots.Lines(run.Combine("plots", "loss.png"), "Supernet training loss", "epoch", "cross-entropy", series);
        logger.LogInformation("supernet written to {Checkpoint}", result.CheckpointPath);
        return result;
    }

    /// <summary>The paths each step trains; for the sandwich rule the largest and smallest network under <c>sandwich_cost</c>.</summary>
    public static PathSchedule CreateSchedule(SupernetTrainConfig config, SearchSpace space, int classes)
    {
        SupernetTrainOptions o = config.Train;
        int[]? largest = null, smallest = null;
        if (o.Sampling == PathSampling.Sandwich)
        {
            CostConstraint costs = CostTable.Load(o.SandwichCost, space, config.Data.CropSize, classes).ToConstraint(double.MaxValue);
            largest = costs.Priciest().Ops;
            smallest = costs.Cheapest().Ops;
        }

        return new PathSchedule(space.PositionCount, space.Candidates.Count, o.Sampling, o.Fairness, o.ResolvedRandomPaths, o.Seed, largest, smallest);
    }

    /// <summary>The configuration stored in a checkpoint of <c>nas supernet train</c>.</summary>
    public static SupernetTrainConfig ConfigOf(CheckpointFile checkpoint)
    {
        if (checkpoint.Metadata.Kind != "supernet")
        {
            throw new NasException($"{checkpoint.Path}: is a '{checkpoint.Metadata.Kind}' checkpoint, not a supernet; train one with 'nas supernet train'");
        }

        if (!checkpoint.Extras.TryGetValue(SupernetTrainer.ConfigEntry, out byte[]? json))
        {
            throw new NasException($"{checkpoint.Path}: is not a 'nas supernet train' checkpoint (no {SupernetTrainer.ConfigEntry}; a differentiable search's supernet was trained with architecture logits)");
        }

        return NasJson.Deserialize<SupernetTrainConfig>(Encoding.UTF8.GetString(json), $"{checkpoint.Path}:{SupernetTrainer.ConfigEntry}");
    }
}
