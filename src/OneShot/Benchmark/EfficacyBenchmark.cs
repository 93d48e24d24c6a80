using System.Diagnostics;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Nas.Core;
using Nas.Core.Costs;
using Nas.Core.Evolution;
using Nas.Core.Genotypes;
using Nas.Core.IO;
using Nas.Core.Logging;
using Nas.Core.Progress;
using Nas.Core.SearchSpaces;
using Nas.Data.Datasets;
using Nas.Data.Synthetic;
using Nas.Latency.Costs;
using Nas.Latency.Fidelity;
using Nas.Latency.Profiling;
using Nas.Latency.Tables;
using Nas.OneShot.Ranking;
using Nas.OneShot.Search;
using Nas.OneShot.Training;
using Nas.Onnx.Export;
using Nas.Onnx.Runtime;
using Nas.Retrain.Training;
using Nas.Search;
using Nas.Search.Losses;
using Nas.Search.Runs;
using Nas.Supernet;
using Nas.Supernet.Checkpoints;
using Nas.Supernet.Export;
using Nas.Supernet.Networks;
using Nas.Training.Data;
using Nas.Training.Schedules;
using Nas.Weights.Checkpoints;

namespace Nas.OneShot.Benchmark;

/// <summary>
/// <c>nas bench efficacy</c>: does searching beat sampling? On synthetic rail scenes, for every seed and cost target:
/// the differentiable search (target loss), the evolutionary search on the seed's one shared supernet (hard limit =
/// target), and random networks just under the target (the random-search baseline); every network is then retrained
/// from scratch with the same budget and scored on the validation split. Each stage lives in its own folder in the
/// normal formats and is skipped when finished (<c>--resume</c>); stage CPU and wall times go to <c>stages.json</c>.
/// The summary (<c>efficacy.md</c>, <c>results.json</c>, <c>plots/pareto.png</c>) reports mean ± std mIoU per
/// method and target, the gap to the median random network, the search cost of each method and the ranking τ.
/// </summary>
public sealed class EfficacyBenchmark
{
    private const int Classes = 19;
    private readonly List<EfficacyStage> _stages = [];
    private readonly EfficacyPlan _plan;
    private readonly string _outDir;
    private readonly ILoggerFactory _loggerFactory;
    private readonly IProgress<ProgressInfo>? _progress;
    private ILogger _logger;
    private ILoggerFactory _loggers;

    public EfficacyBenchmark(EfficacyPlan plan, string outDir, ILoggerFactory loggerFactory, IProgress<ProgressInfo>? progress = null)
    {
        _plan = plan;
        _outDir = outDir;
        _loggerFactory = loggerFactory;
        _progress = progress;
        _logger = loggerFactory.CreateLogger<EfficacyBenchmark>();
        _loggers = loggerFactory;
    }

    private string Root => Path.GetFullPath(_outDir);

    private string DataDir => Path.Combine(Root, "data");

    private string StagesPath => Path.Combine(Root, "stages.json");

    public EfficacyResults Run(bool resume, CancellationToken token)
    {
        _plan.Validate();
        string planPath = Path.Combine(Root, "plan.json");
        if (Directory.Exists(Root) && Directory.EnumerateFileSystemEntries(Root).Any())
        {
            if (!File.Exists(planPath))
            {
                throw new NasException($"'{Root}' is not empty and holds no efficacy benchmark; choose another -o");
            }

            if (!resume)
            {
                throw new NasException($"'{Root}' already holds an efficacy benchmark; pass --resume to continue it or choose another -o");
            }

            if (File.ReadAllText(planPath).Trim() != NasJson.Serialize(_plan).Trim())
            {
                throw new NasException($"cannot resume '{Root}': it was started with another plan (see {planPath})");
            }

            if (File.Exists(StagesPath))
            {
                _stages.AddRange(NasJson.ReadFile<List<EfficacyStage>>(StagesPath));
            }
        }

        NasJson.WriteFile(planPath, _plan);
        using var logs = new TeeLoggerFactory(_loggerFactory, new FileLoggerProvider(Path.Combine(Root, "log.txt")));
        _loggers = logs;
        _logger = logs.CreateLogger<EfficacyBenchmark>();
        TorchRuntime.SetThreads(_plan.Threads);
        InputSize input = _plan.InputSize;
        SearchSpace space = SearchSpaceCatalog.Small;

        Stage("data", "data", -1, null, () =>
        {
            _logger.LogInformation("{Images} {Scenes} synthetic scenes at {Input}", _plan.Images, _plan.Scenes, input);
            SyntheticRailGenerator.WriteDataset(DataDir, _plan.Images, input.Height, input.Width, _plan.DataSeed, _progress, token, _plan.Scenes);
        });
        var data = new DataConfig
        {
            Dataset = "synthetic",
            Root = DataDir,
            Batch = _plan.Batch,
            Workers = 2,
            Crop = input.ToString(),
            ScaleMin = 0.75,
            ScaleMax = 1.5,
            SplitSeed = _plan.DataSeed,
        };

        string tableArg = Table(space, input, token);
        CostTable table = CostTable.Load(tableArg, space, input, Classes);
        CostConstraint range = table.ToConstraint(double.MaxValue);
        (double min, double max) = (range.Cheapest().Cost, range.Priciest().Cost);
        double[] targets = _plan.TargetFractions.Select(f => min + (f * (max - min))).ToArray();
        _logger.LogInformation("cost {Table}: networks from {Min:G4} to {Max:G4} {Unit}; targets {Targets}", table.Source, min, max, table.Unit, string.Join(", ", targets.Select(t => t.ToString("G4", System.Globalization.CultureInfo.InvariantCulture))));

        SegmentationDataset train = data.Open(data.TrainSplit);
        SegmentationDataset val = data.Open(data.ValSplit);
        var networks = new List<EfficacyNetwork>();
        RankSummary? rank = null;
        foreach (int seed in _plan.Seeds)
        {
            token.ThrowIfCancellationRequested();
            string seedDir = Path.Combine(Root, $"seed-{seed}");
            string supernetRun = Path.Combine(seedDir, "supernet");
            var supernetConfig = new SupernetTrainConfig
            {
                Space = "small",
                Holdout = 0.2,
                Threads = _plan.Threads,
                Data = data,
                Train = new SupernetTrainOptions { Epochs = _plan.SupernetEpochs, Seed = seed },
            };
            Stage($"seed-{seed}/supernet", "supernet", seed, null, () =>
                SupernetTrainWorkflow.Run(supernetConfig, supernetRun, Exists(supernetRun), force: false, _loggers, _progress, token));
            string checkpoint = Path.Combine(supernetRun, "checkpoints", "last.ckpt");

            for (int t = 0; t < targets.Length; t++)
            {
                string targetDir = Path.Combine(seedDir, $"target-{t + 1}");
                var candidates = new List<(NamedGenotype Genotype, string Method)>
                {
                    (Differentiable(targetDir, data, table, tableArg, targets[t], seed, t, token), "differentiable"),
                    (Evolutionary(targetDir, checkpoint, seedDir, tableArg, targets[t], seed, t, token), "evolutionary"),
                };
                candidates.AddRange(RandomBaseline(targetDir, space, input, table, targets[t], seed, t).Select(g => (g, "random")));
                foreach ((NamedGenotype genotype, string method) in candidates)
                {
                    networks.Add(Retrain(targetDir, genotype, method, seed, t, targets[t], table, train, val, data, token));
                }
            }

            if (seed == _plan.Seeds[0] && _plan.RankSamples >= 2)
            {
                string rankDir = Path.Combine(Root, "rank");
                var rankConfig = new RankConfig
                {
                    Supernet = checkpoint,
                    Samples = _plan.RankSamples,
                    RetrainEpochs = _plan.RankRetrainEpochs,
                    Table = tableArg,
                    BnBatches = _plan.BnBatches,
                    EvalCache = Path.Combine(seedDir, "evaluations.json"),
                    Seed = seed,
                    Threads = _plan.Threads,
                };
                Stage("rank", "rank", seed, null, () => RankWorkflow.Run(rankConfig, rankDir, Exists(rankDir), force: false, _loggers, _progress, token));
                rank = NasJson.ReadFile<RankSummary>(Path.Combine(rankDir, "summary.json"));
            }
        }

        var results = new EfficacyResults(_plan, table.Source, table.Unit, targets, networks, _stages.ToArray(), rank, DateTime.UtcNow.ToString("O"));
        NasJson.WriteFile(Path.Combine(Root, "results.json"), results);
        EfficacyReport.Write(Root, results);
        _logger.LogInformation("summary written to {Report}", Path.Combine(Root, "efficacy.md"));
        return results;
    }

    private static bool Exists(string runFolder) => File.Exists(Path.Combine(runFolder, "run.json"));

    /// <summary>The cost table: analytic MACs, a given file, or an ONNX Runtime latency table measured and calibrated here.</summary>
    private string Table(SearchSpace space, InputSize input, CancellationToken token)
    {
        if (_plan.Table.Equals(CostTable.AnalyticMacs, StringComparison.OrdinalIgnoreCase))
        {
            return CostTable.AnalyticMacs;
        }

        if (!_plan.Table.Equals("profile", StringComparison.OrdinalIgnoreCase))
        {
            return Path.GetFullPath(_plan.Table);
        }

        string path = Path.Combine(Root, "tables", $"latency-small-{input}.csv");
        Stage("table", "table", -1, null, () =>
        {
            _logger.LogInformation("measuring the ORT-CPU latency table of the Small space at {Input}", input);
            var settings = new ProfileSettings(_plan.Threads, 5, 20);
            new LutProfiler(_loggers.CreateLogger<LutProfiler>()).Profile(space, input, Classes, "ort", new OrtOptions { IntraOpThreads = _plan.Threads }, settings, path, _progress, token);
            FidelityCheck.Run(path, 8, _plan.DataSeed, Path.Combine(Root, "tables", "calibration"), calibrate: true, _progress, token);
        });
        return path;
    }

    private NamedGenotype Differentiable(string targetDir, DataConfig data, CostTable table, string tableArg, double target, int seed, int t, CancellationToken token)
    {
        string run = Path.Combine(targetDir, "differentiable");
        var config = new SearchRunConfig
        {
            Space = "small",
            Cost = table.Metric.Name,
            Table = table.Metric.IsAnalytic ? null : tableArg,
            ArchSplit = 0.2,
            Threads = _plan.Threads,
            Data = data,
            Search = new SearchOptions
            {
                Epochs = _plan.SearchEpochs,
                WarmupEpochs = _plan.SearchWarmup,
                Mode = SearchMode.SinglePath,
                Loss = ResourceLossKind.Target,
                Target = target * table.Metric.SearchScale,
                Lambda = 5,
                WeightLr = 0.05,
                ArchLr = 0.05,
                TauStart = 3.0,
                TauDecay = 0.15,
                TauEnd = 0.3,
                Seed = seed,
            },
        };
        Stage($"seed-{seed}/target-{t + 1}/differentiable", "differentiable", seed, t, () =>
            SearchWorkflow.Run(config, run, Exists(run), force: false, _loggers, _progress, token));
        return GenotypeFile.Load(Path.Combine(run, "genotype.json")) with { Name = $"differentiable-s{seed}-t{t + 1}", Classes = Classes };
    }

    private NamedGenotype Evolutionary(string targetDir, string checkpoint, string seedDir, string tableArg, double target, int seed, int t, CancellationToken token)
    {
        string run = Path.Combine(targetDir, "evolutionary");
        var config = new EvolveConfig
        {
            Supernet = checkpoint,
            Limits = [new CostLimit(tableArg, target)],
            Evolution = new EvolutionOptions { Population = _plan.Population, Generations = _plan.Generations, Objectives = EvolutionObjectives.Miou, Seed = seed },
            BnBatches = _plan.BnBatches,
            EvalCache = Path.Combine(seedDir, "evaluations.json"),
            Threads = _plan.Threads,
        };
        Stage($"seed-{seed}/target-{t + 1}/evolutionary", "evolutionary", seed, t, () =>
            EvolveWorkflow.Run(config, run, Exists(run), force: false, _loggers, _progress, token));
        return GenotypeFile.Load(Path.Combine(run, "genotype.json")) with { Name = $"evolutionary-s{seed}-t{t + 1}" };
    }

    /// <summary>Random networks just under the target (within 0.90–1.00 of it), the baseline both searches must beat.</summary>
    private IReadOnlyList<NamedGenotype> RandomBaseline(string targetDir, SearchSpace space, InputSize input, CostTable table, double target, int seed, int t)
    {
        string dir = Path.Combine(targetDir, "random");
        Stage($"seed-{seed}/target-{t + 1}/random", "random", seed, t, () =>
        {
            var model = new ArchitectureCostModel(space, input, table.Blocks, table.Fixed, table.Metric, table.Source, inSearchUnits: false);
            IReadOnlyList<Genotype> drawn = new RandomArchitectureSampler(model, SeedMix.Combine(seed, 77, t)).Sample(target * 0.95, _plan.RandomPerTarget, 0.05);
            for (int r = 0; r < drawn.Count; r++)
            {
                string name = $"random-s{seed}-t{t + 1}-{r + 1}";
                GenotypeFile.Save(Path.Combine(dir, name + ".json"), new NamedGenotype(name, drawn[r], Classes)
                {
                    Predicted = new Dictionary<string, double> { [table.PredictedKey] = table.Cost(drawn[r]) },
                    Source = $"random baseline just under {target:G6} {table.Unit}",
                });
            }
        });
        return Enumerable.Range(1, _plan.RandomPerTarget).Select(r => GenotypeFile.Load(Path.Combine(dir, $"random-s{seed}-t{t + 1}-{r}.json"))).ToArray();
    }

    private EfficacyNetwork Retrain(string targetDir, NamedGenotype genotype, string method, int seed, int t, double target, CostTable table, SegmentationDataset train, SegmentationDataset val, DataConfig data, CancellationToken token)
    {
        string rowPath = Path.Combine(targetDir, "results", genotype.Name + ".json");
        if (File.Exists(rowPath))
        {
            return NasJson.ReadFile<EfficacyNetwork>(rowPath);
        }

        string run = Path.Combine(targetDir, "train", genotype.Name);
        var options = new TrainOptions { Epochs = _plan.RetrainEpochs, Lr = 0.05, Schedule = LrScheduleKind.Poly, Seed = seed };
        TrainEpochRow final = default!;
        Stage($"seed-{seed}/target-{t + 1}/train/{genotype.Name}", "retrain", seed, t, () =>
        {
            _logger.LogInformation("retraining {Name} ({Method}, {Cost:G4} {Unit}) for {Epochs} epochs", genotype.Name, method, table.Cost(genotype.Genotype), table.Unit, _plan.RetrainEpochs);
            final = StandaloneTraining.Run(run, genotype, options, "train/val of the benchmark's synthetic scenes",
                new DatasetBatchSource(data.TrainLoader(train, seed)), new DatasetBatchSource(data.EvalLoader(val)), _loggers, _progress, token);
        });
        if (final is null)
        {
            // The stage finished earlier but its row was not written: read the finished training back.
            final = StandaloneTraining.Run(run, genotype, options, "train/val of the benchmark's synthetic scenes",
                new DatasetBatchSource(data.TrainLoader(train, seed)), new DatasetBatchSource(data.EvalLoader(val)), _loggers, _progress, token);
        }

        double? measured = _plan.Measure ? MeasureLatency(Path.Combine(run, "checkpoints", "last.ckpt"), genotype.Name) : null;
        var row = new EfficacyNetwork(seed, t + 1, target, method, genotype.Name, genotype.Genotype.CanonicalString, table.Cost(genotype.Genotype), table.Unit,
            final.ValMiou, final.ValPixelAccuracy, measured);
        NasJson.WriteFile(rowPath, row);
        return row;
    }

    private double MeasureLatency(string checkpoint, string name)
    {
        WeightedNetwork network = WeightedNetwork.Load(null, checkpoint);
        var model = LayerGraphExporter.Export(network.Spec.Graph, network.Weights, _plan.InputSize.Height, _plan.InputSize.Width);
        var settings = new ProfileSettings(_plan.Threads, 5, 20);
        return OrtProfiler.Profile(model.ToByteArray(), new OrtOptions { IntraOpThreads = _plan.Threads }, settings, name).Median;
    }

    /// <summary>Runs <paramref name="work"/> unless the stage finished before; records its CPU time (whole process) and wall time.</summary>
    private void Stage(string key, string kind, int seed, int? target, Action work)
    {
        if (_stages.Any(s => s.Key == key))
        {
            return;
        }

        using var process = Process.GetCurrentProcess();
        TimeSpan cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        work();
        process.Refresh();
        _stages.Add(new EfficacyStage(key, kind, seed, target, (process.TotalProcessorTime - cpu).TotalSeconds, clock.Elapsed.TotalSeconds));
        NasJson.WriteFile(StagesPath, _stages);
    }
}
