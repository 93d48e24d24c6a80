using System.Globalization;
using Microsoft.Extensions.Logging;
using Nas.Core;
using Nas.Core.Costs;
using Nas.Core.Genotypes;
using Nas.Core.IO;
using Nas.Core.Logging;
using Nas.Core.Progress;
using Nas.Core.SearchSpaces;
using Nas.Core.Statistics;
using Nas.Latency.Costs;
using Nas.OneShot.Data;
using Nas.OneShot.Evaluation;
using Nas.OneShot.Search;
using Nas.OneShot.Training;
using Nas.Retrain.Training;
using Nas.Supernet;
using Nas.Training.Plots;
using Nas.Training.Runs;
using Nas.Training.Schedules;

namespace Nas.OneShot.Ranking;

/// <summary>
/// <c>nas supernet rank</c>: does weight sharing rank networks the way stand-alone training does? N networks spread
/// evenly over the cost range (random networks at costs from 10 % to 90 % of the way from the cheapest to the
/// most expensive network) are scored with inherited weights (BatchNorm re-estimated) and retrained from scratch for
/// a few epochs on the supernet's training part; both are scored on the same held-out images. Kendall's τ and
/// Spearman's ρ between the two go to <c>summary.json</c>, the pairs to <c>rank.csv</c> and <c>plots/rank.png</c>.
/// </summary>
public static class RankWorkflow
{
    public static RankSummary Run(
        RankConfig config,
        string outDir,
        bool resume,
        bool force,
        ILoggerFactory loggerFactory,
        IProgress<ProgressInfo>? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (config.Samples < 2 || config.Samples > 1000)
        {
            throw new NasException($"--samples must be in [2, 1000] (got {config.Samples}): a rank correlation needs at least two networks");
        }

        if (config.RetrainEpochs < 1 || config.BnBatches < 1 || config.EvalImages < 0 || config.Threads < 1)
        {
            throw new NasException($"--retrain-epochs, --bn-batches and --threads must be >= 1 and --eval-images >= 0 (got {config.RetrainEpochs}, {config.BnBatches}, {config.Threads}, {config.EvalImages})");
        }

        if (string.IsNullOrWhiteSpace(config.Supernet))
        {
            throw new NasException("--supernet is required: a checkpoint of 'nas supernet train' (RUN/checkpoints/last.ckpt)");
        }

        SupernetFile file = SupernetFile.Open(config.Supernet, config.Root);
        CostTable table = CostTable.Load(config.Table, file.Space, file.Input, file.Classes);
        OneShotData data = OneShotData.Open(file.Config);
        IReadOnlyList<Genotype> genotypes = Spread(table, file.Space, file.Input, config.Samples, config.Seed);
        var train = new TrainOptions { Epochs = config.RetrainEpochs, Lr = config.RetrainLr, Schedule = LrScheduleKind.Poly, Seed = config.Seed };
        train.Validate();

        config = config with { Supernet = file.Path, SupernetSha256 = file.Sha256(), Root = config.Root is null ? null : Path.GetFullPath(config.Root), EvalCache = config.EvalCache is null ? null : Path.GetFullPath(config.EvalCache) };
        RunFolder run = RunFolder.Open(outDir, "rank", config, resume, force);
        using var logs = new TeeLoggerFactory(loggerFactory, new FileLoggerProvider(run.LogPath));
        ILogger logger = logs.CreateLogger(typeof(RankWorkflow).FullName!);
        logger.LogInformation("ranking check of {Supernet}: {Samples} networks over {Table}, {Epochs} stand-alone epochs each", file.Path, config.Samples, table.Source, config.RetrainEpochs);
        TorchRuntime.SetThreads(config.Threads);

        var inherited = new double[genotypes.Count];
        int heldOutImages;
        using (var scorer = new InheritedScorer(file, data, config.BnBatches, config.EvalImages, reestimateBn: true, config.EvalCache ?? run.Combine("evaluations.json"), cancellationToken))
        {
            heldOutImages = scorer.HeldOutImages;
            for (int i = 0; i < genotypes.Count; i++)
            {
                inherited[i] = scorer.Score(genotypes[i], cancellationToken).Miou;
                progress?.Report(new ProgressInfo("inherited", i + 1, genotypes.Count, $"network {i + 1}/{genotypes.Count}: {inherited[i]:P1}"));
            }
        }

        var rows = new List<RankRow>();
        for (int i = 0; i < genotypes.Count; i++)
        {
            string name = $"arch-{i + 1:D2}";
            var named = new NamedGenotype(name, genotypes[i], file.Classes);
            GenotypeFile.Save(run.Combine("genotypes", name + ".json"), named);
            logger.LogInformation("stand-alone training {Index}/{Count}: {Name} ({Cost:G4} {Unit})", i + 1, genotypes.Count, name, table.Cost(genotypes[i]), table.Unit);
            TrainEpochRow final = StandaloneTraining.Run(run.Combine("retrain", name), named, train, $"{data.Weights.Split} of {data.Train.Info.Name}, scored on {data.HeldOut.Split}",
                data.WeightSource(config.Seed), data.HeldOutSource(config.EvalImages), logs, progress, cancellationToken);
            rows.Add(new RankRow(name, table.Cost(genotypes[i]), table.Unit, inherited[i], final.ValMiou, genotypes[i].CanonicalString));
        }

        new MetricsCsv<RankRow>(run.Combine("rank.csv"), _ => 0).Replace(rows);
        double[] x = rows.Select(r => r.InheritedMiou).ToArray();
        double[] y = rows.Select(r => r.StandaloneMiou).ToArray();
        var summary = new RankSummary(file.Path, rows.Count, config.RetrainEpochs, table.Source,
            RankCorrelation.KendallTau(x, y), RankCorrelation.Spearman(x, y), RankCorrelation.Pearson(x, y), heldOutImages, DateTime.UtcNow.ToString("O"));
        NasJson.WriteFile(run.Combine("summary.json"), summary);
        RunPlots.Scatter(run.Combine("plots", "rank.png"),
            string.Create(CultureInfo.InvariantCulture, $"Inherited vs stand-alone mIoU (Kendall τ {summary.KendallTau:F2}, Spearman ρ {summary.SpearmanRho:F2})"),
            "mIoU with inherited weights (%)", $"mIoU after {config.RetrainEpochs} epochs stand-alone (%)",
            [("networks", x.Select(v => v * 100).ToArray(), y.Select(v => v * 100).ToArray())]);
        logger.LogInformation("Kendall τ {Tau:F3}, Spearman ρ {Rho:F3} over {Count} networks; written to {Dir}", summary.KendallTau, summary.SpearmanRho, rows.Count, run.Path);
        return summary;
    }

    /// <summary><paramref name="count"/> distinct random genotypes at costs evenly spread from 10 % to 90 % of the space's cost range.</summary>
    public static IReadOnlyList<Genotype> Spread(CostTable table, SearchSpace space, InputSize input, int count, int seed)
    {
        var model = new ArchitectureCostModel(space, input, table.Blocks, table.Fixed, table.Metric, table.Source, inSearchUnits: false);
        (double min, double max) = model.Range();
        var result = new List<Genotype>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            double fraction = 0.1 + (0.8 * i / Math.Max(1, count - 1));
            double target = min + (fraction * (max - min));
            var sampler = new RandomArchitectureSampler(model, seed + (1000 * i));
            Genotype g = sampler.Sample(target, 3).First(x => !seen.Contains(x.CanonicalString));
            seen.Add(g.CanonicalString);
            result.Add(g);
        }

        return result;
    }
}
