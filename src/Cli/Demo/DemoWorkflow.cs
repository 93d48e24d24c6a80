using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Nas.Core;
using Nas.Core.Genotypes;
using Nas.Core.IO;
using Nas.Core.Progress;
using Nas.Core.SearchSpaces;
using Nas.Data.Datasets;
using Nas.Data.Synthetic;
using Nas.Latency.Costs;
using Nas.Latency.Fidelity;
using Nas.Latency.Profiling;
using Nas.Latency.Tables;
using Nas.Onnx.Graphs;
using Nas.Onnx.Runtime;
using Nas.Retrain.Runs;
using Nas.Retrain.Training;
using Nas.Search;
using Nas.Search.Costs;
using Nas.Search.Losses;
using Nas.Search.Runs;
using Nas.Supernet.Checkpoints;
using Nas.Weights.Checkpoints;
using Nas.Onnx.Export;
using Nas.Core.Graphs;
using Nas.Supernet.Export;
using Nas.Supernet.Networks;
using Nas.Training.Data;

namespace Nas.Cli.Demo;

/// <summary>
/// <c>nas demo</c>: the whole hardware-aware workflow on synthetic rail scenes. Every stage writes into its own
/// folder of the demo directory with the normal commands' formats, so any stage can be rerun alone, and
/// <c>--resume</c> skips finished stages and resumes interrupted runs.
/// </summary>
public sealed class DemoWorkflow(DemoPlan plan, string outDir, int seed, string? pretrainedDir, ILoggerFactory loggers, IProgress<ProgressInfo> progress)
{
    private readonly ILogger _logger = loggers.CreateLogger<DemoWorkflow>();
    private readonly ProfileSettings _profile = new(Threads: 2, Warmup: 5, Runs: 20);

    private string DataDir => Path.Combine(outDir, "data");

    private string TablePath => Path.Combine(outDir, "tables", $"latency-small-{plan.Height}x{plan.Width}.csv");

    private string MacTablePath => Path.Combine(outDir, "tables", $"macs-small-{plan.Height}x{plan.Width}.csv");

    public string ReportPath => Path.Combine(outDir, "report.md");

    public DemoSummary Run(bool resume, CancellationToken token)
    {
        Directory.CreateDirectory(outDir);
        NasJson.WriteFile(Path.Combine(outDir, "demo-plan.json"), plan);
        var input = new InputSize(plan.Height, plan.Width);

        // 1. data
        if (!resume || !Directory.Exists(Path.Combine(DataDir, "jpgs")))
        {
            _logger.LogInformation("stage 1/6: {Count} synthetic rail scenes at {Size}", plan.TrainImages + plan.ValImages, input);
            SyntheticRailGenerator.WriteDataset(DataDir, plan.TrainImages + plan.ValImages, plan.Height, plan.Width, seed, progress, token);
        }

        var dataOptions = new DatasetOptions { TrainFraction = plan.TrainImages / (double)(plan.TrainImages + plan.ValImages), ValFraction = plan.ValImages / (double)(plan.TrainImages + plan.ValImages), SplitSeed = seed };
        var data = new DataConfig
        {
            Dataset = "synthetic",
            Root = DataDir,
            Batch = plan.Batch,
            Workers = 2,
            Crop = input.ToString(),
            ScaleMin = 0.75,
            ScaleMax = 1.5,
            SplitSeed = seed,
        };
        SegmentationDataset train = DatasetCatalog.Open("synthetic", DataDir, "train", dataOptions);
        int classes = train.Info.ClassCount;

        // 2. tables
        SearchSpace space = SearchSpaceCatalog.Small;
        MacTableBuilder.Build(space, input, classes).Save(MacTablePath);
        LookupTable table = File.Exists(TablePath) && resume
            ? LookupTable.Load(TablePath, space, input)
            : CachedOrProfile(space, input, classes, token);
        if (table.Metadata.CalibrationSlope is null)
        {
            // Per-block sums over-predict whole networks at this small size (per-call overhead, fusions across block
            // boundaries); a line fitted on a few networks measured end to end corrects the scale.
            _logger.LogInformation("stage 2/6: calibrating the table on 8 networks measured end to end");
            FidelityCheck.Run(TablePath, 8, seed, Path.Combine(outDir, "tables", "calibration"), calibrate: true, progress, token);
            table = LookupTable.Load(TablePath, space, input);
        }

        ArchitectureCostModel costs = SearchCostModels.FromTable(TablePath, space, input, "ms");
        (double min, double max) = costs.Range();
        _logger.LogInformation("stage 2/6: latency table {Table}: networks range {Min:F2} .. {Max:F2} ms", TablePath, min, max);

        // 3-4. searches at latency targets, derived genotypes, random baselines at the same latency
        var networks = new List<(NamedGenotype Genotype, string Kind, double? Target, string? Init)>();
        for (int i = 0; i < plan.TargetFractions.Length; i++)
        {
            double target = min + (plan.TargetFractions[i] * (max - min));
            string run = Path.Combine(outDir, "search", $"target-{i + 1}");
            NamedGenotype found = Search(run, data, target, resume, token);
            networks.Add((found with { Name = $"searched-{i + 1}" }, "searched", target, null));
            double foundCost = costs.Cost(found.Genotype);
            IReadOnlyList<Genotype> random = new RandomArchitectureSampler(costs, seed + (100 * (i + 1))).Sample(foundCost, plan.RandomPerTarget);
            for (int r = 0; r < random.Count; r++)
            {
                networks.Add((new NamedGenotype($"random-{i + 1}.{r + 1}", random[r], classes), "random", target, null));
            }
        }

        string? pth = pretrainedDir is null ? null : Path.Combine(pretrainedDir, "mac_small.pth");
        if (pth is not null && File.Exists(pth))
        {
            networks.Add((PublishedNetworks.Get("squeezenas-mac-small").Genotype with { Classes = classes }, "published (Cityscapes weights)", null, pth));
        }
        else
        {
            networks.Add((PublishedNetworks.Get("squeezenas-mac-small").Genotype with { Classes = classes }, "published (from scratch)", null, null));
            _logger.LogInformation("official weights not found{Where}: squeezenas-mac-small is trained from scratch", pretrainedDir is null ? string.Empty : $" in {pretrainedDir}");
        }

        // 5. retrain every network with the same budget, evaluate, export, measure
        var results = new List<DemoNetworkResult>();
        foreach ((NamedGenotype genotype, string kind, double? target, string? init) in networks)
        {
            token.ThrowIfCancellationRequested();
            results.Add(TrainAndMeasure(genotype, kind, target, init, data, table, input, resume, token));
        }

        // 6. report
        var summary = new DemoSummary(plan, TablePath, results, DateTime.UtcNow.ToString("O"));
        NasJson.WriteFile(Path.Combine(outDir, "demo-results.json"), summary);
        DemoReport.Write(outDir, summary, data, dataOptions);
        _logger.LogInformation("stage 6/6: report written to {Report}", ReportPath);
        return summary;
    }

    private LookupTable CachedOrProfile(SearchSpace space, InputSize input, int classes, CancellationToken token)
    {
        // A table measured earlier with the same settings (space, size, runtime, threads) is reused.
        string cacheDir = Path.Combine(Path.GetTempPath(), "nas-demo-cache");
        string cached = Path.Combine(cacheDir, Path.GetFileName(TablePath));
        if (File.Exists(cached) && File.Exists(LookupTable.MetadataPath(cached)))
        {
            try
            {
                LookupTable t = LookupTable.Load(cached, space, input);
                if (t.Metadata.Threads == _profile.Threads && t.Metadata.Runs == _profile.Runs && t.Metadata.Device == DeviceInfo.Describe())
                {
                    t.Save(TablePath);
                    _logger.LogInformation("stage 2/6: reusing the cached latency table {Cached}", cached);
                    return t;
                }
            }
            catch (NasException)
            {
                // an unusable cache entry is simply measured again
            }
        }

        _logger.LogInformation("stage 2/6: measuring the ORT-CPU latency table of the Small space at {Input}", input);
        LookupTable table = new LutProfiler(loggers.CreateLogger<LutProfiler>()).Profile(space, input, classes, "ort", new OrtOptions { IntraOpThreads = _profile.Threads }, _profile, TablePath, progress, token);
        Directory.CreateDirectory(cacheDir);
        table.Save(cached);
        return table;
    }

    private NamedGenotype Search(string run, DataConfig data, double target, bool resume, CancellationToken token)
    {
        string genotypeFile = Path.Combine(run, "genotype.json");
        if (resume && File.Exists(genotypeFile))
        {
            return GenotypeFile.Load(genotypeFile);
        }

        var config = new SearchRunConfig
        {
            Space = "small",
            Cost = "latency",
            Table = TablePath,
            ArchSplit = 0.25,
            Data = data,
            Search = new SearchOptions
            {
                Epochs = plan.SearchEpochs,
                WarmupEpochs = plan.SearchWarmup,
                Mode = SearchMode.SinglePath,
                Loss = ResourceLossKind.Target,
                Target = target,
                Lambda = 5,
                WeightLr = 0.05,
                ArchLr = 0.05,
                TauStart = 3.0,
                TauDecay = 0.15,
                TauEnd = 0.3,
                Seed = seed,
            },
        };
        _logger.LogInformation("stage 3/6: latency-aware search towards {Target:F2} ms ({Run})", target, run);
        bool exists = Directory.Exists(run) && File.Exists(Path.Combine(run, "run.json"));
        SearchResult result = SearchWorkflow.Run(config, run, resume && exists, force: !resume, loggers, progress, token);
        return result.Genotype;
    }

    private static int CompletedEpochs(string checkpoint)
    {
        return CheckpointFile.Load(checkpoint).Metadata.Epoch;
    }

    private DemoNetworkResult TrainAndMeasure(NamedGenotype genotype, string kind, double? target, string? init, DataConfig data, LookupTable table, InputSize input, bool resume, CancellationToken token)
    {
        string run = Path.Combine(outDir, "train", genotype.Name);
        string genotypeFile = Path.Combine(outDir, "genotypes", genotype.Name + ".json");
        GenotypeFile.Save(genotypeFile, genotype);
        var config = new TrainRunConfig
        {
            Arch = genotypeFile,
            Init = init ?? "none",
            Data = data,
            Train = new TrainOptions { Epochs = plan.TrainEpochs, Lr = init is null ? 0.05 : 0.01, Schedule = Nas.Training.Schedules.LrScheduleKind.Poly, Seed = seed },
        };
        bool exists = Directory.Exists(run) && File.Exists(Path.Combine(run, "run.json"));
        TrainResult result;
        string last = Path.Combine(run, "checkpoints", "last.ckpt");
        if (resume && exists && File.Exists(last) && CompletedEpochs(last) >= plan.TrainEpochs)
        {
            result = new TrainResult(plan.TrainEpochs, 0, 0, new Nas.Training.Runs.MetricsCsv<TrainEpochRow>(Path.Combine(run, "metrics.csv"), r => r.Epoch).ReadAll());
        }
        else
        {
            _logger.LogInformation("stage 5/6: training {Name} ({Kind}) for {Epochs} epochs", genotype.Name, kind, plan.TrainEpochs);
            result = TrainWorkflow.Run(config, run, resume && exists, force: !resume, loggers, progress, token);
        }

        // Evaluate the final weights (the same budget for everyone), export them and time the whole network.
        TrainEpochRow final = result.History[^1];
        WeightedNetwork network = WeightedNetwork.Load(null, last);
        string onnx = Path.Combine(outDir, "onnx", genotype.Name + ".onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(onnx)!);
        var model = LayerGraphExporter.Export(network.Spec.Graph, network.Weights, input.Height, input.Width);
        OnnxModelFile.Save(model, onnx);
        LatencyStats measured = OrtProfiler.Profile(model.ToByteArray(), new OrtOptions { IntraOpThreads = _profile.Threads }, _profile, onnx);
        GraphCost cost = GraphCost.Compute(network.Spec.Graph, input.Height, input.Width);
        return new DemoNetworkResult(genotype.Name, kind, genotype.Genotype.CanonicalString, target, cost.Macs, cost.Params,
            table.Predict(genotype.Genotype), measured.Median, measured.P10, measured.P90, final.ValMiou, final.ValPixelAccuracy,
            Path.GetRelativePath(outDir, last), Path.GetRelativePath(outDir, onnx), Path.GetRelativePath(outDir, run));
    }
}
