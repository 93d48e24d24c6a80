using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Nas.Core;
using Nas.Core.Evolution;
using Nas.Core.Genotypes;
using Nas.Core.Graphs;
using Nas.Core.IO;
using Nas.Core.Logging;
using Nas.Core.Progress;
using Nas.Core.SearchSpaces;
using Nas.Latency.Costs;
using Nas.Models.SqueezeNas;
using Nas.OneShot.Data;
using Nas.OneShot.Evaluation;
using Nas.Supernet;
using Nas.Training.Plots;
using Nas.Training.Runs;

namespace Nas.OneShot.Search;

/// <summary>
/// <c>nas search evolve</c>: constrained evolutionary search on a trained supernet. All input is checked before the
/// search folder is touched (supernet, space, tables for its space/input/classes, limits against the cheapest
/// network, feasibility of all limits together); then sub-networks are scored with inherited weights (BatchNorm
/// re-estimated, cached) and <see cref="EvolutionarySearch"/> runs, saving its population after every generation.
/// Outputs: <c>genotype.json</c> (the most accurate network, in the differentiable search's format with predicted
/// costs), <c>front.csv</c> + <c>front/*.json</c> (the Pareto front of everything evaluated), <c>generations.csv</c>,
/// <c>evaluations.json</c>, <c>population.json</c> and <c>plots/front.png</c>.
/// </summary>
public static class EvolveWorkflow
{
    public static EvolveResult Run(
        EvolveConfig config,
        string outDir,
        bool resume,
        bool force,
        ILoggerFactory loggerFactory,
        IProgress<ProgressInfo>? progress = null,
        CancellationToken cancellationToken = default)
    {
        config.Evolution.Validate();
        if (config.Limits.Count == 0)
        {
            throw new NasException("give at least one --table TABLE.csv (or macs) with its --max-cost VALUE");
        }

        if (config.BnBatches < 1 || config.EvalImages < 0 || config.Threads < 1)
        {
            throw new NasException($"--bn-batches and --threads must be >= 1 and --eval-images >= 0 (got {config.BnBatches}, {config.Threads}, {config.EvalImages})");
        }

        if (string.IsNullOrWhiteSpace(config.Supernet))
        {
            throw new NasException("--supernet is required: a checkpoint of 'nas supernet train' (RUN/checkpoints/last.ckpt)");
        }

        SearchSpace? expected = config.Space is null ? null : SearchSpaceCatalog.Resolve(config.Space);
        SupernetFile file = SupernetFile.Open(config.Supernet, config.Root, expected);
        CostTable[] tables = config.Limits.Select(l => CostTable.Load(l.Table, file.Space, file.Input, file.Classes)).ToArray();
        var constraints = new ConstraintSet(
            tables.Select((t, i) => t.ToConstraint(config.Limits[i].MaxCost)).ToArray(), file.Space.PositionCount, file.Space.Candidates.Count);
        constraints.Validate();
        _ = new FeasibleSampler(constraints).Random(SeedMix.Random(config.Evolution.Seed, -1));
        OneShotData data = OneShotData.Open(file.Config);

        config = config with { Supernet = file.Path, SupernetSha256 = file.Sha256(), Root = config.Root is null ? null : Path.GetFullPath(config.Root), EvalCache = config.EvalCache is null ? null : Path.GetFullPath(config.EvalCache) };
        RunFolder run = RunFolder.Open(outDir, "evolve", config, resume, force);
        using var logs = new TeeLoggerFactory(loggerFactory, new FileLoggerProvider(run.LogPath));
        ILogger logger = logs.CreateLogger(typeof(EvolveWorkflow).FullName!);
        logger.LogInformation(
            "evolutionary search on {Supernet} ({Space}, {Input}, {Classes} classes): {Limits}; population {Population}, {Generations} generations, objectives {Objectives}",
            file.Path, file.Space.Name, file.Input, file.Classes,
            string.Join(", ", constraints.Constraints.Select((c, i) => string.Create(CultureInfo.InvariantCulture, $"{tables[i].Source} <= {c.Limit:G6} {c.Unit} (cheapest {c.Cheapest().Cost:G6})"))),
            config.Evolution.Population, config.Evolution.Generations, config.Evolution.Objectives);

        TorchRuntime.SetThreads(config.Threads);
        using var scorer = new InheritedScorer(file, data, config.BnBatches, config.EvalImages, config.ReestimateBn, config.EvalCache ?? run.Combine("evaluations.json"), cancellationToken);
        logger.LogInformation("scoring on {Images} held-out images ({Split}); {Cached} evaluations cached", scorer.HeldOutImages, data.HeldOut.Split, scorer.Cache.Count);

        var generations = new MetricsCsv<EvolveGenerationRow>(run.Combine("generations.csv"), r => r.Generation);
        string statePath = run.Combine("population.json");
        generations.TruncateAfter(File.Exists(statePath) ? NasJson.ReadFile<EvolutionState>(statePath).GenerationsCompleted : -1);
        double Accuracy(IReadOnlyList<int> ops) => scorer.Score(Genotype.FromIndices(file.Space, ops), cancellationToken).Miou;
        void GenerationDone(EvolutionState state)
        {
            Individual best = EvolutionarySearch.BestOf(state.Archive);
            var row = new EvolveGenerationRow(state.GenerationsCompleted, state.Archive.Count, best.Accuracy, best.Costs[0], constraints.Constraints[0].Unit,
                state.Population.Average(x => double.IsNaN(x.Accuracy) ? 0 : x.Accuracy), EvolutionarySearch.FrontOf(state.Archive).Count,
                Genotype.FromIndices(file.Space, best.Ops).CanonicalString);
            generations.Append(row);
            logger.LogInformation("generation {Generation}/{Generations}: {Evaluations} networks evaluated, best mIoU {Miou:P2} at {Cost:G4} {Unit}, population mean {Mean:P2}, front {Front}",
                row.Generation, config.Evolution.Generations, row.Evaluations, row.BestMiou, row.BestCost, row.CostUnit, row.PopulationMeanMiou, row.FrontSize);
        }

        var search = new EvolutionarySearch(config.Evolution, constraints);
        EvolutionResult result = search.Run(Accuracy, statePath, GenerationDone, progress, cancellationToken);

        EvolvedNetwork Describe(Individual x, string name) => ToNetwork(x, name, file, tables, scorer, config, cancellationToken);
        EvolvedNetwork best = Describe(result.Best, Path.GetFileName(run.Path.TrimEnd('/')));
        GenotypeFile.Save(run.Combine("genotype.json"), best.Genotype);
        var front = result.Front.Select((x, i) => Describe(x, $"front-{i + 1:D2}")).ToArray();
        WriteFront(run, front, tables);
        WritePlot(run, result, tables[0], constraints.Constraints[0].Limit);
        logger.LogInformation("best network {Genotype}: inherited mIoU {Miou:P2}, {Costs}; front of {Front} networks in {FrontCsv}; {Computed} evaluations computed, {Hits} answered from the cache",
            best.Genotype.Genotype.CanonicalString, best.Miou, string.Join(", ", best.Costs.Select((c, i) => $"{c:G6} {tables[i].Unit}")), front.Length, run.Combine("front.csv"), scorer.Computed, scorer.Hits);
        return new EvolveResult(best, front, tables.Select(t => t.Name).ToArray(), tables.Select(t => t.Unit).ToArray(), result.Archive.Count, scorer.Cache.Count);
    }

    /// <summary>The predicted costs of a genotype under every table (under its metric's key, e.g. <c>latency_ms</c>), plus every analytic metric.</summary>
    public static Dictionary<string, double> Predicted(Genotype genotype, IReadOnlyList<CostTable> tables, int classes, InputSize input)
    {
        var predicted = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (CostTable t in tables)
        {
            string key = predicted.ContainsKey(t.PredictedKey) ? $"{t.PredictedKey}_{t.Name}" : t.PredictedKey;
            predicted[key] = t.Cost(genotype);
        }

        foreach ((string key, double value) in PredictedCosts.Analytic(genotype, classes, input))
        {
            predicted.TryAdd(key, value);
        }

        return predicted;
    }

    private static EvolvedNetwork ToNetwork(Individual x, string name, SupernetFile file, IReadOnlyList<CostTable> tables, InheritedScorer scorer, EvolveConfig config, CancellationToken token)
    {
        Genotype genotype = Genotype.FromIndices(file.Space, x.Ops);
        CachedEvaluation score = scorer.Score(genotype, token);
        Dictionary<string, double> predicted = Predicted(genotype, tables, file.Classes, file.Input);
        predicted["inherited_miou"] = score.Miou;
        var named = new NamedGenotype(name, genotype, file.Classes)
        {
            Predicted = predicted,
            Source = string.Create(CultureInfo.InvariantCulture,
                $"nas search evolve ({config.Evolution.Objectives.ToString().ToLowerInvariant()}; {string.Join(", ", config.Limits.Select(l => $"{Path.GetFileName(l.Table)} <= {l.MaxCost:G6}"))}; supernet {Path.GetFileName(file.Path)})"),
        };
        return new EvolvedNetwork(named, score.Miou, score.PixelAccuracy, x.Costs);
    }

    private static void WriteFront(RunFolder run, IReadOnlyList<EvolvedNetwork> front, IReadOnlyList<CostTable> tables)
    {
        var csv = new StringBuilder();
        csv.Append("name,file,miou,pixel_accuracy");
        foreach (CostTable t in tables)
        {
            csv.Append(',').Append(Quote($"{t.Name} ({t.Unit})"));
        }

        csv.Append(",genotype\n");
        foreach (EvolvedNetwork n in front)
        {
            string fileName = $"front/{n.Genotype.Name}.json";
            GenotypeFile.Save(run.Combine(fileName), n.Genotype);
            csv.Append(CultureInfo.InvariantCulture, $"{n.Genotype.Name},{fileName},{n.Miou:R},{n.PixelAccuracy:R}");
            foreach (double c in n.Costs)
            {
                csv.Append(',').Append(c.ToString("R", CultureInfo.InvariantCulture));
            }

            csv.Append(',').Append(Quote(n.Genotype.Genotype.CanonicalString)).Append('\n');
        }

        AtomicFile.WriteAllText(run.Combine("front.csv"), csv.ToString());
    }

    private static string Quote(string s) => s.Contains(',') || s.Contains('"') ? $"\"{s.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : s;

    private static void WritePlot(RunFolder run, EvolutionResult result, CostTable table, double limit)
    {
        static double Y(Individual x) => double.IsNaN(x.Accuracy) ? 0 : x.Accuracy * 100;
        var front = result.Front;
        RunPlots.Scatter(run.Combine("plots", "front.png"), $"Evolutionary search: inherited-weight mIoU vs {table.Name} (limit {limit:G4} {table.Unit})", $"{table.Name} ({table.Unit})", "mIoU with inherited weights (%)",
        [
            ("evaluated", result.Archive.Select(x => x.Costs[0]).ToArray(), result.Archive.Select(Y).ToArray()),
            ("Pareto front", front.Select(x => x.Costs[0]).ToArray(), front.Select(Y).ToArray()),
            ("best", [result.Best.Costs[0]], [Y(result.Best)]),
        ],
        (front.Select(x => x.Costs[0]).ToArray(), front.Select(Y).ToArray()), "front");
    }
}
