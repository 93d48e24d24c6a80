using Microsoft.Extensions.Logging;
using Nas.Core;
using Nas.Core.Genotypes;
using Nas.Core.Logging;
using Nas.Core.Progress;
using Nas.Core.SearchSpaces;
using Nas.Data.Datasets;
using Nas.Latency.Costs;
using Nas.Search.Costs;
using Nas.Search.Losses;
using Nas.Supernet;
using Nas.Training.Data;
using Nas.Training.Plots;
using Nas.Training.Runs;

namespace Nas.Search.Runs;

/// <summary>
/// A complete search run from a <see cref="SearchRunConfig"/>: opens the data (training split divided into weight and
/// architecture parts), builds the cost model, runs <see cref="ArchitectureSearch"/> into the run folder (log, config,
/// metrics, probabilities, checkpoints, genotype) and draws the run's plots.
/// </summary>
public static class SearchWorkflow
{
    public static SearchResult Run(
        SearchRunConfig config,
        string outDir,
        bool resume,
        bool force,
        ILoggerFactory loggerFactory,
        IProgress<ProgressInfo>? progress = null,
        CancellationToken cancellationToken = default)
    {
        // Everything that can be wrong with the options, the data or the cost table fails here, before the run folder
        // exists: a corrected retry must not meet "already holds a run".
        SearchSpace space = SearchSpaceCatalog.Resolve(config.Space);
        InputSize input = InputSize.Parse(config.Data.Crop, "--input");
        config.Search.Validate();
        config.Data.Validate("--input");
        if (config.Threads < 1)
        {
            throw new NasException($"--threads must be >= 1 (got {config.Threads})");
        }

        SegmentationDataset train = config.Data.Open(config.Data.TrainSplit);
        (SubsetDataset weightPart, SubsetDataset archPart) = SubsetDataset.Partition(train, config.ArchSplit, config.Search.Seed, "weights", "architecture");
        ArchitectureCostModel costs = SearchCostModels.Create(config.Cost, config.Table, space, input, train.Info.ClassCount);
        config.Search.ResourceLoss.Validate(costs.Range().Min, costs.Unit);
        var weightSource = new DatasetBatchSource(config.Data.TrainLoader(weightPart, config.Search.Seed));
        var archSource = new DatasetBatchSource(config.Data.TrainLoader(archPart, config.Search.Seed + 1));
        if (weightSource.BatchesPerEpoch < 1 || archSource.BatchesPerEpoch < 1)
        {
            throw new NasException(
                $"the search needs a full batch of {config.Data.Batch} in each part of the training split (weights: {weightPart.Count} images, architecture: {archPart.Count}); " +
                "use more images, a smaller --batch or another --arch-split");
        }

        RunPreflight.CheckCrop(config.Data, train, "--input");
        RunPreflight.CheckMemory(input, config.Data.Batch, RunPreflight.SearchBytesPerPixel(config.Search.Mode == SearchMode.Soft, space.Candidates.Count), "the search", "--input");

        RunFolder run = RunFolder.Open(outDir, "search", config, resume, force);
        using var logs = new TeeLoggerFactory(loggerFactory, new FileLoggerProvider(run.LogPath));
        ILogger logger = logs.CreateLogger(typeof(SearchWorkflow).FullName!);
        logger.LogInformation(
            "search {Space} at {Input} on {Dataset} ({Weights} weight / {Arch} architecture images), cost {Cost} ({Unit}, {Source}), {Mode}, {Loss}",
            space.Name, input, train.Info.Name, weightPart.Count, archPart.Count, config.Cost, costs.Unit, costs.Source, config.Search.Mode, config.Search.Loss);

        TorchRuntime.SetThreads(config.Threads);
        var search = new ArchitectureSearch(config.Search, costs, logs.CreateLogger<ArchitectureSearch>());
        SearchResult result = search.Run(run, train.Info.ClassCount, weightSource, archSource, progress, cancellationToken);
        SearchPlots.Write(run, result, space, config.Search.Loss == ResourceLossKind.Target ? config.Search.Target : null);
        logger.LogInformation("derived {Genotype}: {Cost:G4} {Unit}; genotype written to {Path}",
            result.Genotype.Genotype.CanonicalString, result.Cost, result.CostUnit, run.Combine("genotype.json"));
        return result;
    }
}
