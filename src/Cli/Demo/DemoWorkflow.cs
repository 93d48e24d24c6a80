using System.Diagnostics;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Nas.Core;
using Nas.Core.Costs;
using Nas.Core.Genotypes;
using Nas.Core.Graphs;
using Nas.Core.IO;
using Nas.Core.Progress;
using Nas.Core.SearchSpaces;
using Nas.Data.Datasets;
using Nas.Data.Synthetic;
using Nas.Latency.Costs;
using Nas.Latency.Fidelity;
using Nas.Latency.Profiling;
using Nas.Latency.Tables;
using Nas.Models.Registry;
using Nas.Models.SqueezeNas;
using Nas.Onnx.Export;
using Nas.Onnx.Graphs;
using Nas.Onnx.Runtime;
using Nas.Retrain.Runs;
using Nas.Retrain.Training;
using Nas.Search;
using Nas.Search.Costs;
using Nas.Search.Losses;
using Nas.Search.Runs;
using Nas.Supernet.Checkpoints;
using Nas.Supernet.Export;
using Nas.Supernet.Networks;
using Nas.Training.Data;
using Nas.Training.Runs;
using Nas.Weights.Checkpoints;

namespace Nas.Cli.Demo;

/// <summary>
/// <c>nas demo</c>: the whole hardware-aware workflow on synthetic rail scenes, as a list of <see cref="Stages"/>
/// timed one by one. Every stage writes into its own folder of the demo directory with the normal commands'
/// formats, so any stage can be rerun alone, and <c>--resume</c> skips finished work and resumes interrupted runs.
/// Nothing is shared with other processes: the latency table is measured into the demo folder.
/// </summary>
public sealed class DemoWorkflow
{
    /// <summary>Predicted latency above the target that counts as missing it (the random baselines are drawn within ±5 %).</summary>
    public const double TargetTolerancePercent = 5;

    private readonly DemoPlan _plan;
    private readonly string _outDir;
    private readonly int _seed;
    private readonly string? _pretrainedDir;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly StepClock _progress;

    // The table's entries and the final networks are timed in rounds until the two fastest agree (see RepeatedTiming).
    private readonly ProfileSettings _tableProfile = new(Threads: 2, Warmup: 5, Runs: 20, Repeats: 2, MaxRepeats: 5);
    private readonly ProfileSettings _networkProfile = new(Threads: 2, Warmup: 5, Runs: 20, Repeats: 3, MaxRepeats: 10);

    private readonly IReadOnlyList<string> _baselines;
    private readonly List<DemoCandidate> _candidates = [];
    private readonly List<(DemoCandidate Candidate, TrainEpochRow Final, string Checkpoint, string Run)> _trained = [];
    private readonly List<DemoNetworkResult> _results = [];
    private List<DemoStageTime> _timings = [];
    private Stopwatch _stageClock = new();
    private bool _resume;
    private DataConfig _data = new();
    private DemoDataUse? _dataUse;
    private int _classes;
    private LookupTable? _table;
    private ArchitectureCostModel? _costs;
    private CalibrationAssessment? _calibration;
    private DemoTargets? _targets;
    private DemoSizing? _sizing;

    public DemoWorkflow(DemoPlan plan, string outDir, int seed, string? pretrainedDir, ILoggerFactory loggers, IProgress<ProgressInfo> progress, IReadOnlyList<string>? baselines = null)
    {
        _baselines = baselines ?? DefaultBaselines;
        foreach (string name in _baselines)
        {
            // A bad name, or a network that cannot take the demo's input, fails before anything is written.
            ModelRegistry.Resolve(name).CheckInputSize(plan.Height, plan.Width);
        }

        _plan = plan;
        _outDir = outDir;
        _seed = seed;
        _pretrainedDir = pretrainedDir;
        _loggers = loggers;
        _logger = loggers.CreateLogger<DemoWorkflow>();
        _progress = new StepClock(progress);
    }

    /// <summary>The hand-designed networks the demo compares with by default (issue: the networks users compare against).</summary>
    public static IReadOnlyList<string> DefaultBaselines { get; } = ["lraspp-mobilenet-v3-small", "espnet-c"];

    public string ReportPath => Path.Combine(_outDir, "report.md");

    /// <summary>The stages in order; the report follows them. A new stage joins here (see <see cref="DemoStage"/>).</summary>
    public IReadOnlyList<DemoStage> Stages =>
    [
        new("data", "synthetic rail scenes", GenerateData),
        new("latency-table", "latency lookup table (ONNX Runtime CPU, 2 threads)", MeasureTable),
        new("calibration", "the table checked against networks measured end to end", Calibrate),
        new("sizing", "a few search and training steps timed; epochs sized to the budget", SizeEpochs),
        new("search", "latency-aware searches at the targets", Searches),
        new("baselines", "random networks at the same targets, the published network and the zoo baselines", Baselines),
        new("training", "every network trained with the same budget", TrainAll),
        new("measurement", "every network exported to ONNX and timed, interleaved", MeasureAll),
    ];

    private string DataDir => Path.Combine(_outDir, "data");

    private string TablePath => Path.Combine(_outDir, "tables", $"latency-small-{_plan.Height}x{_plan.Width}.csv");

    private string MacTablePath => Path.Combine(_outDir, "tables", $"macs-small-{_plan.Height}x{_plan.Width}.csv");

    private string CalibrationDir => Path.Combine(_outDir, "tables", "calibration");

    private string CalibrationPath => Path.Combine(CalibrationDir, "calibration.json");

    private string TimingsPath => Path.Combine(_outDir, "demo-timings.json");

    private string SizingPath => Path.Combine(_outDir, "demo-sizing.json");

    private InputSize Input => new(_plan.Height, _plan.Width);

    private static SearchSpace Space => SearchSpaceCatalog.Small;

    /// <summary>
    /// Networks the plan trains: per target the searched one and its random baselines, the published one, and each zoo
    /// baseline counted by its MACs relative to the published SqueezeNAS network (at least 1), so that a heavier
    /// baseline shortens everyone's epochs instead of overrunning the budget.
    /// </summary>
    private int PlannedNetworks => (_plan.Targets * (1 + _plan.RandomPerTarget)) + 1 + (int)Math.Ceiling(BaselineWeights());

    private double BaselineWeights()
    {
        long reference = GraphCost.Compute(SqueezeNasGraphs.Network(PublishedNetworks.Get("squeezenas-mac-small").Genotype), _plan.Height, _plan.Width).Macs;
        return _baselines.Sum(name => Math.Max(1, (double)GraphCost.Compute(ModelRegistry.Resolve(name).Graph.ForInference(), _plan.Height, _plan.Width).Macs / reference));
    }

    private double ElapsedSeconds => _timings.Sum(t => t.Seconds) + _stageClock.Elapsed.TotalSeconds;

    public DemoSummary Run(bool resume, CancellationToken token)
    {
        _resume = resume;
        Directory.CreateDirectory(_outDir);
        NasJson.WriteFile(Path.Combine(_outDir, "demo-plan.json"), _plan);
        _timings = resume && File.Exists(TimingsPath) ? [.. NasJson.ReadFile<DemoStageTime[]>(TimingsPath)] : [];
        IReadOnlyList<DemoStage> stages = Stages;
        for (int i = 0; i < stages.Count; i++)
        {
            token.ThrowIfCancellationRequested();
            DemoStage stage = stages[i];
            _logger.LogInformation("stage {Index}/{Count} {Stage}: {Title}", i + 1, stages.Count + 1, stage.Name, stage.Title);
            _stageClock = Stopwatch.StartNew();
            stage.Run(token);
            double seconds = _stageClock.Elapsed.TotalSeconds;
            _stageClock = new Stopwatch();
            Record(stage.Name, stage.Title, seconds);
            _logger.LogInformation("stage {Stage} took {Seconds:F0} s ({Total:F1} of {Budget} min so far)", stage.Name, seconds, ElapsedSeconds / 60, _plan.Minutes);
        }

        _logger.LogInformation("stage {Count}/{Count} report", stages.Count + 1, stages.Count + 1);
        _stageClock = Stopwatch.StartNew();
        DemoSummary summary = Summary();
        DemoReport.WritePlots(_outDir, summary, _data);
        Record("report", "plots and this report", _stageClock.Elapsed.TotalSeconds);
        _stageClock = new Stopwatch();
        summary = Summary();
        NasJson.WriteFile(Path.Combine(_outDir, "demo-results.json"), summary);
        DemoReport.WriteMarkdown(_outDir, summary);
        _logger.LogInformation("report written to {Report}", ReportPath);
        if (summary.OverBudget)
        {
            _logger.LogWarning("the demo took {Minutes:F1} min, more than its budget of {Budget} min (stage times are in the report)", summary.TotalSeconds / 60, _plan.Minutes);
        }

        return summary;
    }

    private DemoSummary Summary() => new(_plan, _sizing!, _dataUse!, TablePath, _calibration, _targets!, [.. _results], [.. _timings], _timings.Sum(t => t.Seconds), DateTime.UtcNow.ToString("O"));

    private void Record(string stage, string title, double seconds)
    {
        int index = _timings.FindIndex(t => t.Stage == stage);
        if (index < 0)
        {
            _timings.Add(new DemoStageTime(stage, title, seconds, 1));
        }
        else
        {
            _timings[index] = _timings[index] with { Title = title, Seconds = _timings[index].Seconds + seconds, Invocations = _timings[index].Invocations + 1 };
        }

        NasJson.WriteFile(TimingsPath, _timings);
    }

    private void GenerateData(CancellationToken token)
    {
        string images = Path.Combine(DataDir, "jpgs", "rs19_val");
        int existing = Directory.Exists(images) ? Directory.GetFiles(images).Length : 0;
        if (!_resume || existing != _plan.Images)
        {
            _logger.LogInformation("{Count} synthetic rail scenes at {Size}", _plan.Images, Input);
            if (Directory.Exists(DataDir))
            {
                Directory.Delete(DataDir, recursive: true);
            }

            SyntheticRailGenerator.WriteDataset(DataDir, _plan.Images, _plan.Height, _plan.Width, _seed, _progress, token);
        }

        // Train + val fractions add up to one, so every generated image is used.
        _data = new DataConfig
        {
            Dataset = "synthetic",
            Root = DataDir,
            Batch = _plan.Batch,
            Workers = 2,
            Crop = Input.ToString(),
            ScaleMin = 0.75,
            ScaleMax = 1.5,
            SplitSeed = _seed,
            TrainFraction = _plan.TrainImages / (double)_plan.Images,
            ValFraction = _plan.ValImages / (double)_plan.Images,
        };
        SegmentationDataset train = _data.Open(_data.TrainSplit);
        SegmentationDataset val = _data.Open(_data.ValSplit);
        (SubsetDataset weights, SubsetDataset arch) = SubsetDataset.Partition(train, DemoPlan.ArchSplit, _seed, "weights", "architecture");
        _classes = train.Info.ClassCount;
        _dataUse = new DemoDataUse(Directory.GetFiles(images).Length, train.Count, weights.Count, arch.Count, val.Count);
        _logger.LogInformation("{Train} training images (searches: {Weights} for weights, {Arch} for the architecture), {Val} validation images", train.Count, weights.Count, arch.Count, val.Count);
    }

    private void MeasureTable(CancellationToken token)
    {
        AnalyticTableBuilder.Build(CostMetrics.Macs, Space, Input, _classes).Save(MacTablePath);
        if (_resume && TryLoadCompleteTable() is LookupTable done)
        {
            _logger.LogInformation("keeping the latency table measured earlier in this demo folder: {Table}", TablePath);
            _table = done;
            return;
        }

        // A fresh demo measures its own table; a partly measured one (interrupted) is completed and calibrated again.
        if (!_resume)
        {
            DeleteTable();
        }

        DeleteIfExists(CalibrationPath);
        _logger.LogInformation("measuring every block of the Small space at {Input} with ONNX Runtime (CPU, {Threads} threads)", Input, _tableProfile.Threads);
        _table = new LutProfiler(_loggers.CreateLogger<LutProfiler>()).Profile(Space, Input, _classes, "ort", new OrtOptions { IntraOpThreads = _tableProfile.Threads }, _tableProfile, TablePath, _progress, token);
    }

    private LookupTable? TryLoadCompleteTable()
    {
        if (!File.Exists(TablePath) || !File.Exists(LookupTable.MetadataPath(TablePath)))
        {
            return null;
        }

        try
        {
            LookupTable table = LookupTable.Load(TablePath, Space, Input);
            table.RawCostMatrix(Space);
            return table;
        }
        catch (NasException)
        {
            return null;
        }
    }

    private void DeleteTable()
    {
        DeleteIfExists(TablePath);
        DeleteIfExists(LookupTable.MetadataPath(TablePath));
    }

    private static void DeleteIfExists(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private void Calibrate(CancellationToken token)
    {
        if (_resume && File.Exists(CalibrationPath))
        {
            _calibration = NasJson.ReadFile<CalibrationAssessment>(CalibrationPath);
            _logger.LogInformation("keeping the calibration check made earlier: {Verdict}", _calibration.Verdict);
        }
        else
        {
            // Per-block sums over-predict whole networks at this small size (per-call overhead, fusions across block
            // boundaries); a line fitted on networks measured end to end can correct the scale. It is kept only when
            // it predicts networks it was not fitted on better than the raw table.
            LookupTable table = LookupTable.Load(TablePath, Space, Input);
            new LookupTable(table.Metadata with { CalibrationSlope = null, CalibrationIntercept = null, CalibrationSource = null }, table.Rows).Save(TablePath);
            _logger.LogInformation("timing 8 random networks end to end to check the table");
            FidelityReport report = FidelityCheck.Run(TablePath, 8, _seed, CalibrationDir, calibrate: true, _progress, token);
            _calibration = report.Calibration!;
            NasJson.WriteFile(CalibrationPath, _calibration);
            if (_calibration.Accepted)
            {
                _logger.LogInformation("{Verdict}", _calibration.Verdict);
            }
            else
            {
                _logger.LogWarning("{Verdict}", _calibration.Verdict);
            }
        }

        _table = LookupTable.Load(TablePath, Space, Input);
        _costs = SearchCostModels.FromTable(TablePath, Space, Input, CostMetrics.Latency);
        _targets = DemoTargets.Place(_costs, _plan.Targets);
        _logger.LogInformation("networks range {Min:F2} .. {Max:F2} ms; a search starts at an expected {Start:F2} ms; targets {Targets} ms",
            _targets.Min, _targets.Max, _targets.Start, string.Join(", ", _targets.Targets.Select(t => t.ToString("F2", System.Globalization.CultureInfo.InvariantCulture))));
    }

    private void SizeEpochs(CancellationToken token)
    {
        if (_resume && File.Exists(SizingPath))
        {
            _sizing = NasJson.ReadFile<DemoSizing>(SizingPath);
            _logger.LogInformation("keeping the sizing made earlier: {Search} search epochs, {Train} training epochs", _sizing.SearchEpochs, _sizing.TrainEpochs);
            return;
        }

        DemoStepTimes steps = TimeSteps(token);
        int networks = PlannedNetworks;
        double reserve = 20 + (3.0 * networks);
        double available = _plan.Budget.TotalSeconds - ElapsedSeconds - reserve;
        _sizing = DemoSizing.Size(_plan, steps, _plan.Targets, _dataUse!.SearchWeights / _plan.Batch, networks, _dataUse.Train / _plan.Batch, _dataUse.Val, available);
        NasJson.WriteFile(SizingPath, _sizing);
        _logger.LogInformation(
            "measured {Search:F3} s per search step (+{SearchRun:F1} s per search), {Train:F3} s per training step (+{TrainRun:F1} s per training), {Eval:F3} s per validation image; {Available:F0} s left: {SearchEpochs} search epochs ({Warmup} warm-up, ~{SearchSeconds:F0} s), {TrainEpochs} training epochs for each of {Networks} networks (~{TrainSeconds:F0} s)",
            steps.SearchStep, steps.SearchRun, steps.TrainStep, steps.TrainRun, steps.EvalImage, available, _sizing.SearchEpochs, _sizing.SearchWarmup, _sizing.PlannedSearchSeconds, _sizing.TrainEpochs, networks, _sizing.PlannedTrainSeconds);
        if (!_sizing.FitsBudget)
        {
            _logger.LogWarning(
                "even the fewest epochs ({Search} search, {Train} training) need ~{Need:F0} s but only {Available:F0} s are left: this machine is slower than the {Budget}-minute budget allows (busy cores?); the demo will take longer",
                _sizing.SearchEpochs, _sizing.TrainEpochs, _sizing.PlannedSearchSeconds + _sizing.PlannedTrainSeconds, Math.Max(0, available), _plan.Minutes);
        }
    }

    /// <summary>
    /// Times a short search (one epoch on 32 images, architecture updates from the first step) and a short training
    /// (one epoch on 24 images, validated on 24) of a network at the middle target, in <c>timing/</c>.
    /// </summary>
    private DemoStepTimes TimeSteps(CancellationToken token)
    {
        double middle = _targets!.Targets[_targets.Targets.Count / 2];
        var clock = new StepClock(_progress, "timing ");
        string dir = Path.Combine(_outDir, "timing");
        SearchRunConfig search = SearchConfig(middle, epochs: 1, warmup: 0) with { Data = _data with { Limit = 8 * _plan.Batch } };
        var wall = Stopwatch.StartNew();
        SearchWorkflow.Run(search, Path.Combine(dir, "search"), resume: false, force: true, NullLoggerFactory.Instance, clock, token);
        double searchWall = wall.Elapsed.TotalSeconds;
        int searchSteps = clock.Steps("search") + 1;

        Genotype genotype = new RandomArchitectureSampler(_costs!, _seed + 7).Sample(middle, 1)[0];
        string genotypeFile = Path.Combine(dir, "network.json");
        GenotypeFile.Save(genotypeFile, new NamedGenotype("timing", genotype, _classes));
        int limit = 6 * _plan.Batch;
        TrainRunConfig train = TrainConfig(genotypeFile, null, epochs: 1) with { Data = _data with { Limit = limit } };
        wall.Restart();
        TrainResult result = TrainWorkflow.Run(train, Path.Combine(dir, "train"), resume: false, force: true, NullLoggerFactory.Instance, clock, token);
        double trainWall = wall.Elapsed.TotalSeconds;

        // Step times are medians of the intervals between progress reports; the rest of each run's wall time (set-up,
        // checkpoints, derivation, plots) is its overhead, paid once per search or training.
        double searchStep = clock.MedianStepSeconds("search") ?? throw new NasException("the timing search reported no steps");
        double trainStep = clock.MedianStepSeconds("train") ?? throw new NasException("the timing training reported no steps");
        int valImages = Math.Min(limit, _dataUse!.Val);
        double epochSeconds = result.History[0].Seconds;
        double evalSeconds = Math.Max(0, epochSeconds - (limit / _plan.Batch * trainStep));
        return new DemoStepTimes(searchStep, trainStep, evalSeconds / valImages, Math.Max(0, searchWall - (searchSteps * searchStep)), Math.Max(0, trainWall - epochSeconds));
    }

    private SearchRunConfig SearchConfig(double target, int epochs, int warmup) => new()
    {
        Space = "small",
        Cost = "latency",
        Table = TablePath,
        ArchSplit = DemoPlan.ArchSplit,
        Data = _data,
        Search = new SearchOptions
        {
            Epochs = epochs,
            WarmupEpochs = warmup,
            Mode = SearchMode.SinglePath,
            Loss = ResourceLossKind.Target,
            Target = target,
            Lambda = 5,
            WeightLr = 0.05,
            ArchLr = 0.05,
            TauStart = 3.0,
            TauDecay = 0.15,
            TauEnd = 0.3,
            Seed = _seed,
        },
    };

    private TrainRunConfig TrainConfig(string arch, string? init, int epochs) => new()
    {
        Arch = arch,
        Init = init ?? "none",
        Data = _data,
        Train = new TrainOptions { Epochs = epochs, Lr = init is null ? 0.05 : 0.01, Schedule = Nas.Training.Schedules.LrScheduleKind.Poly, Seed = _seed },
    };

    private void Searches(CancellationToken token)
    {
        for (int i = 0; i < _targets!.Targets.Count; i++)
        {
            token.ThrowIfCancellationRequested();
            double target = _targets.Targets[i];
            string run = Path.Combine(_outDir, "search", $"target-{i + 1}");
            string genotypeFile = Path.Combine(run, "genotype.json");
            NamedGenotype found;
            if (_resume && File.Exists(genotypeFile))
            {
                found = GenotypeFile.Load(genotypeFile);
            }
            else
            {
                _logger.LogInformation("search {Index}/{Count} towards {Target:F2} ms ({Run}): {Epochs} epochs", i + 1, _targets.Targets.Count, target, run, _sizing!.SearchEpochs);
                bool exists = File.Exists(Path.Combine(run, "run.json"));
                found = SearchWorkflow.Run(SearchConfig(target, _sizing.SearchEpochs, _sizing.SearchWarmup), run, _resume && exists, force: !(_resume && exists), _loggers, _progress, token).Genotype;
            }

            var candidate = DemoCandidate.ForGenotype(found with { Name = $"searched-{i + 1}" }, "searched", target, null);
            _candidates.Add(candidate);
            double predicted = _costs!.Cost(found.Genotype);
            double excess = DemoTargets.Excess(predicted, target);
            if (excess > TargetTolerancePercent)
            {
                _logger.LogWarning("{Name} is predicted at {Predicted:F2} ms, {Excess:F0} % over its target of {Target:F2} ms", candidate.Name, predicted, excess, target);
            }
            else
            {
                _logger.LogInformation("{Name} is predicted at {Predicted:F2} ms (target {Target:F2} ms)", candidate.Name, predicted, target);
            }
        }
    }

    private void Baselines(CancellationToken token)
    {
        // Random genotypes drawn at each target (within ±5 %), not at the searched network's cost: both answer the
        // same question, "the best network for this target".
        for (int i = 0; i < _targets!.Targets.Count; i++)
        {
            token.ThrowIfCancellationRequested();
            double target = _targets.Targets[i];
            IReadOnlyList<Genotype> random = new RandomArchitectureSampler(_costs!, _seed + (100 * (i + 1))).Sample(target, _plan.RandomPerTarget, TargetTolerancePercent / 100);
            for (int r = 0; r < random.Count; r++)
            {
                _candidates.Add(DemoCandidate.ForGenotype(new NamedGenotype($"random-{i + 1}.{r + 1}", random[r], _classes), "random", target, null));
            }
        }

        NamedGenotype published = PublishedNetworks.Get("squeezenas-mac-small").Genotype with { Classes = _classes };
        string? pth = _pretrainedDir is null ? null : Path.Combine(_pretrainedDir, "mac_small.pth");
        if (pth is not null && File.Exists(pth))
        {
            _candidates.Add(DemoCandidate.ForGenotype(published, "published (Cityscapes weights)", null, pth));
        }
        else
        {
            _candidates.Add(DemoCandidate.ForGenotype(published, "published (from scratch)", null, null));
            _logger.LogInformation("official weights not found{Where}: squeezenas-mac-small is trained from scratch", _pretrainedDir is null ? string.Empty : $" in {_pretrainedDir}");
        }

        // Hand-designed networks users compare with, trained from scratch with the same budget (no latency-table
        // prediction: the table covers the search space only; they are measured like everyone else).
        foreach (string name in _baselines)
        {
            _candidates.Add(new DemoCandidate(name, name, null, "baseline (hand-designed)", null, null));
        }
    }

    private void TrainAll(CancellationToken token)
    {
        for (int i = 0; i < _candidates.Count; i++)
        {
            token.ThrowIfCancellationRequested();
            DemoCandidate c = _candidates[i];
            string run = Path.Combine(_outDir, "train", c.Name);
            string arch = c.Arch ?? Path.Combine(_outDir, "genotypes", c.Name + ".json");
            if (c.Genotype is NamedGenotype genotype)
            {
                GenotypeFile.Save(arch, genotype);
            }

            int epochs = _sizing!.TrainEpochs;
            bool exists = File.Exists(Path.Combine(run, "run.json"));
            string last = Path.Combine(run, "checkpoints", "last.ckpt");
            TrainEpochRow final;
            if (_resume && exists && File.Exists(last) && CompletedEpochs(last) >= epochs)
            {
                final = new MetricsCsv<TrainEpochRow>(Path.Combine(run, "metrics.csv"), r => r.Epoch).ReadAll()[^1];
            }
            else
            {
                _logger.LogInformation("training {Index}/{Count}: {Name} ({Kind}) for {Epochs} epochs", i + 1, _candidates.Count, c.Name, c.Kind, epochs);
                TrainResult result = TrainWorkflow.Run(TrainConfig(arch, c.Init, epochs), run, _resume && exists, force: !(_resume && exists), _loggers, _progress, token);
                final = result.History[^1];
            }

            _trained.Add((c, final, last, run));
        }
    }

    private static int CompletedEpochs(string checkpoint)
    {
        return CheckpointFile.Load(checkpoint).Metadata.Epoch;
    }

    private void MeasureAll(CancellationToken token)
    {
        // The final weights of every network (the same budget for everyone) are exported and then timed together:
        // each round times every network once, so a busy phase of the machine slows them all alike.
        var models = new List<(byte[] Model, string Source)>();
        var costs = new List<GraphCost>();
        string dir = Path.Combine(_outDir, "onnx");
        Directory.CreateDirectory(dir);
        foreach ((DemoCandidate c, _, string checkpoint, _) in _trained)
        {
            token.ThrowIfCancellationRequested();
            WeightedNetwork network = WeightedNetwork.Load(null, checkpoint);
            var model = LayerGraphExporter.Export(network.Spec.Graph, network.Weights, Input.Height, Input.Width);
            string onnx = Path.Combine(dir, c.Name + ".onnx");
            OnnxModelFile.Save(model, onnx);
            models.Add((model.ToByteArray(), onnx));
            costs.Add(GraphCost.Compute(network.Spec.Graph.ForInference(), Input.Height, Input.Width));
        }

        _logger.LogInformation("timing {Count} networks interleaved ({Min}..{Max} rounds of {Runs} runs, until the two fastest rounds agree within {Tolerance:P0})",
            models.Count, _networkProfile.Repeats, _networkProfile.RoundLimit, _networkProfile.Runs, _networkProfile.Stability);
        IReadOnlyList<LatencyStats> timings = OrtProfiler.ProfileInterleaved(models, new OrtOptions { IntraOpThreads = _networkProfile.Threads }, _networkProfile, token);
        _results.Clear();
        for (int i = 0; i < _trained.Count; i++)
        {
            (DemoCandidate c, TrainEpochRow final, string checkpoint, string run) = _trained[i];
            LatencyStats measured = timings[i];
            GraphCost cost = costs[i];
            _results.Add(new DemoNetworkResult(c.Name, c.Kind, c.Genotype?.Genotype.CanonicalString ?? c.Arch!, c.TargetMs, cost.Macs, cost.Params,
                c.Genotype is NamedGenotype g ? _table!.Predict(g.Genotype) : null, measured.Median, measured.P10, measured.P90, measured.Rounds, measured.RoundSpread, measured.Stable,
                final.ValMiou, final.ValPixelAccuracy,
                Path.GetRelativePath(_outDir, checkpoint), Path.GetRelativePath(_outDir, models[i].Source), Path.GetRelativePath(_outDir, run)));
        }

        int unstable = _results.Count(r => !r.MeasurementStable);
        if (unstable > 0)
        {
            _logger.LogWarning("{Count} of {Total} networks did not time stably within {Rounds} rounds (the machine is busy); the report shows each network's spread", unstable, _results.Count, _networkProfile.RoundLimit);
        }
    }
}
