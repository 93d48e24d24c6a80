using Microsoft.Extensions.Logging.Abstractions;
using Nas.Core;
using Nas.Core.Costs;
using Nas.Core.Evolution;
using Nas.Core.Genotypes;
using Nas.Core.IO;
using Nas.Core.SearchSpaces;
using Nas.Latency.Tables;
using Nas.OneShot.Evaluation;
using Nas.OneShot.Ranking;
using Nas.OneShot.Search;
using Nas.TestSupport;

namespace Nas.OneShot.Tests;

public class EvolveWorkflowTests(TinySupernetFixture fixture) : IClassFixture<TinySupernetFixture>
{
    private static readonly InputSize s_input = new(64, 128);

    private string MacTable(TempDirectory dir, SearchSpace? space = null, InputSize? input = null)
    {
        string path = dir.Combine($"macs-{(space ?? SearchSpaceCatalog.Small).Name}-{input ?? s_input}.csv");
        AnalyticTableBuilder.Build(CostMetrics.Macs, space ?? SearchSpaceCatalog.Small, input ?? s_input, 19).Save(path);
        return path;
    }

    private static double Limit(string table, double fraction)
    {
        CostTable t = CostTable.Load(table, SearchSpaceCatalog.Small, s_input, 19);
        CostConstraint c = t.ToConstraint(double.MaxValue);
        return c.Cheapest().Cost + (fraction * (c.Priciest().Cost - c.Cheapest().Cost));
    }

    private EvolveConfig Config(params CostLimit[] limits) => new()
    {
        Supernet = fixture.Checkpoint,
        Limits = limits,
        Evolution = new EvolutionOptions { Population = 4, Generations = 2, Objectives = EvolutionObjectives.MiouLatency, Seed = 3 },
        BnBatches = 1,
        Threads = 2,
    };

    private static EvolveResult Evolve(EvolveConfig config, string dir, bool resume = false, CancellationToken token = default, IProgress<Nas.Core.Progress.ProgressInfo>? progress = null) =>
        EvolveWorkflow.Run(config, dir, resume, force: false, NullLoggerFactory.Instance, progress, token);

    [Fact]
    public void NoReturnedNetworkExceedsAnyTablesPredictionAndTheFrontIsNonDominated()
    {
        using var dir = new TempDirectory();
        string table = MacTable(dir);
        double macLimit = Limit(table, 0.35);
        double analyticLimit = Limit(table, 0.45);
        string outDir = dir.Combine("evolve");
        EvolveResult result = Evolve(Config(new CostLimit(table, macLimit), new CostLimit("macs", analyticLimit)), outDir);

        LookupTable lut = LookupTable.Load(table, SearchSpaceCatalog.Small, s_input);
        var returned = new List<NamedGenotype> { GenotypeFile.Load(Path.Combine(outDir, "genotype.json")) };
        returned.AddRange(Directory.GetFiles(Path.Combine(outDir, "front"), "*.json").Select(GenotypeFile.Load));
        Assert.Equal(result.Front.Count + 1, returned.Count);
        foreach (NamedGenotype g in returned)
        {
            Assert.True(lut.Predict(g.Genotype) <= macLimit, $"{g.Name}: {lut.Predict(g.Genotype)} > {macLimit}");
            Assert.True(g.Predicted!["macs"] <= macLimit);
            Assert.Equal(lut.Predict(g.Genotype), g.Predicted["macs"]);
            Assert.True(g.Predicted.ContainsKey("inherited_miou"));
        }

        // Everything evaluated respects both limits, and no evaluated network dominates a front member.
        EvaluationCacheFile cache = NasJson.ReadFile<EvaluationCacheFile>(Path.Combine(outDir, "evaluations.json"));
        Assert.Equal(result.Evaluations, cache.Entries.Count);
        var evaluated = cache.Entries.Select(e => (Genotype.Parse(e.Genotype), e.Miou)).ToArray();
        Assert.All(evaluated, e => Assert.True(lut.Predict(e.Item1) <= macLimit && lut.Predict(e.Item1) <= analyticLimit));
        foreach (EvolvedNetwork member in result.Front)
        {
            Assert.DoesNotContain(evaluated, e => e.Miou >= member.Miou && lut.Predict(e.Item1) <= member.Costs[0] && (e.Miou > member.Miou || lut.Predict(e.Item1) < member.Costs[0]));
        }

        foreach (string file in new[] { "front.csv", "generations.csv", "population.json", "config.json", "plots/front.png" })
        {
            Assert.True(File.Exists(Path.Combine(outDir, file)), file);
        }

        Assert.Equal(result.Front.Count + 1, File.ReadAllLines(Path.Combine(outDir, "front.csv")).Length);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(outDir, "generations.csv")).Length - 1);
    }

    [Fact]
    public void AnInterruptedSearchResumesExactly()
    {
        using var dir = new TempDirectory();
        string table = MacTable(dir);
        EvolveConfig config = Config(new CostLimit(table, Limit(table, 0.4)));
        Evolve(config, dir.Combine("straight"));

        // Stop during generation 1 (the 6th evaluation), then resume: the finished search must be the same.
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress(p =>
        {
            if (p.Task == "evolve" && p.Done == 6)
            {
                cts.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() => Evolve(config, dir.Combine("interrupted"), token: cts.Token, progress: progress));
        Assert.False(File.Exists(dir.Combine("interrupted", "genotype.json")));
        Evolve(config, dir.Combine("interrupted"), resume: true);

        foreach (string file in new[] { "population.json", "front.csv", "generations.csv" })
        {
            Assert.Equal(File.ReadAllText(dir.Combine("straight", file)), File.ReadAllText(dir.Combine("interrupted", file)));
        }

        // genotype.json differs only in its name (the folder's).
        NamedGenotype a = GenotypeFile.Load(dir.Combine("straight", "genotype.json"));
        NamedGenotype b = GenotypeFile.Load(dir.Combine("interrupted", "genotype.json"));
        Assert.Equal(a.Genotype, b.Genotype);
        Assert.Equal(a.Predicted!.OrderBy(kv => kv.Key), b.Predicted!.OrderBy(kv => kv.Key));

        static string[] Scores(string path) => NasJson.ReadFile<EvaluationCacheFile>(path).Entries.Select(e => $"{e.Genotype}={e.Miou:R}").ToArray();
        Assert.Equal(Scores(dir.Combine("straight", "evaluations.json")), Scores(dir.Combine("interrupted", "evaluations.json")));
    }

    [Fact]
    public void BadInputIsRefusedInOneLineAndNothingIsWritten()
    {
        using var dir = new TempDirectory();
        string table = MacTable(dir);
        string otherSize = MacTable(dir, input: new InputSize(128, 256));
        string otherSpace = MacTable(dir, space: SearchSpaceCatalog.Large);
        double cheapest = CostTable.Load(table, SearchSpaceCatalog.Small, s_input, 19).ToConstraint(0).Cheapest().Cost;
        var cases = new (EvolveConfig Config, string Expected)[]
        {
            (Config(new CostLimit(otherSize, 1e12)), "built for input 128x256"),
            (Config(new CostLimit(otherSpace, 1e12)), "the table is for space 'large'"),
            (Config(new CostLimit(table, cheapest * 0.9)), $"below the cheapest network of the space ({cheapest:G6} macs)"),
            (Config(new CostLimit(table, 1e12)) with { Evolution = new EvolutionOptions { Population = 1 } }, "--population must be >= 2"),
            (Config(new CostLimit(table, 1e12)) with { Space = "large" }, "the supernet is of space 'small'"),
            (Config(), "--table"),
            (Config(new CostLimit(table, 1e12)) with { Supernet = table }, "not a Nas checkpoint"),
        };
        for (int i = 0; i < cases.Length; i++)
        {
            string outDir = dir.Combine($"bad-{i}");
            var e = Assert.Throws<NasException>(() => Evolve(cases[i].Config, outDir));
            Assert.Contains(cases[i].Expected, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);
            Assert.False(Directory.Exists(outDir), $"case {i} created {outDir}");
        }
    }

    [Fact]
    public void TheRankingCheckWritesTheCorrelationOfInheritedAndStandaloneMiou()
    {
        using var dir = new TempDirectory();
        var config = new RankConfig { Supernet = fixture.Checkpoint, Samples = 3, RetrainEpochs = 1, BnBatches = 1, Seed = 2 };
        RankSummary summary = RankWorkflow.Run(config, dir.Combine("rank"), resume: false, force: false, NullLoggerFactory.Instance);
        Assert.Equal(3, summary.Samples);
        string[] rows = File.ReadAllLines(dir.Combine("rank", "rank.csv"));
        Assert.Equal(4, rows.Length);
        Assert.True(File.Exists(dir.Combine("rank", "summary.json")));
        Assert.True(File.Exists(dir.Combine("rank", "plots", "rank.png")));

        // The networks are spread over the cost range: strictly increasing MACs.
        double[] costs = rows.Skip(1).Select(r => double.Parse(r.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.True(costs[0] < costs[1] && costs[1] < costs[2], string.Join(", ", costs));

        // Resuming a finished check reads the retrainings back instead of training again.
        RankSummary again = RankWorkflow.Run(config, dir.Combine("rank"), resume: true, force: false, NullLoggerFactory.Instance);
        Assert.Equal(summary.KendallTau, again.KendallTau);
    }

    private sealed class SyncProgress(Action<Nas.Core.Progress.ProgressInfo> action) : IProgress<Nas.Core.Progress.ProgressInfo>
    {
        public void Report(Nas.Core.Progress.ProgressInfo value) => action(value);
    }
}
