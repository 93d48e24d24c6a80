using Nas.Core.Genotypes;
using Nas.Core.SearchSpaces;
using Nas.Latency.Costs;
using Nas.Search.Costs;
using Nas.Search.Losses;
using Nas.Supernet;
using Nas.TestSupport;
using Nas.TorchTestSupport;
using Nas.Training.Runs;

namespace Nas.Search.Tests;

public class ArchitectureSearchTests
{
    private static readonly InputSize s_input = new(64, 128);

    private static SearchOptions Options(double lambda, int epochs = 4) => new()
    {
        Epochs = epochs,
        WarmupEpochs = 1,
        Mode = SearchMode.SinglePath,
        Loss = ResourceLossKind.Additive,
        Lambda = lambda,
        ArchLr = 0.05,
        WeightLr = 0.05,
        Seed = 3,
    };

    private static SearchResult RunSearch(string folder, SearchOptions options, bool resume = false, CancellationToken token = default, IProgress<Nas.Core.Progress.ProgressInfo>? progress = null, ArchitectureCostModel? costModel = null)
    {
        TorchRuntime.SetThreads(2);
        ArchitectureCostModel costs = costModel ?? ArchitectureCostModel.FromMacs(SearchSpaceCatalog.Small, s_input, 4);
        RunFolder run = RunFolder.Open(folder, "search", options, resume, force: false);
        var search = new ArchitectureSearch(options, costs);
        return search.Run(run, 4, new PatternBatchSource(1, 6, 2, 64, 128, 4), new PatternBatchSource(2, 3, 2, 64, 128, 4), progress, token);
    }

    [Fact]
    public void LargeLambdaEndsWithAClearlyCheaperGenotypeAndCostlyOpsLoseProbability()
    {
        using var dir = new TempDirectory();
        SearchResult free = RunSearch(dir.Combine("lambda0"), Options(0));
        SearchResult costly = RunSearch(dir.Combine("lambda-large"), Options(2000));
        Assert.True(costly.Cost < 0.7 * free.Cost, $"cost with large lambda {costly.Cost} vs lambda 0 {free.Cost}");

        // The most expensive candidate of each position (by MACs) ends below the uniform probability 1/13.
        ArchitectureCostModel costs = ArchitectureCostModel.FromMacs(SearchSpaceCatalog.Small, s_input, 4);
        int below = 0;
        for (int p = 0; p < SearchSpaceCatalog.Small.PositionCount; p++)
        {
            int priciest = Enumerable.Range(0, 13).MaxBy(k => costs.BlockCosts[p, k]);
            if (costly.Probabilities[p, priciest] < 1.0 / 13)
            {
                below++;
            }
        }

        Assert.Equal(SearchSpaceCatalog.Small.PositionCount, below);

        // The run folder holds what the issue asks for.
        string run = dir.Combine("lambda-large");
        foreach (string file in new[] { "config.json", "metrics.csv", "probabilities.csv", "genotype.json", "checkpoints/last.ckpt" })
        {
            Assert.True(File.Exists(Path.Combine(run, file)), file);
        }

        NamedGenotype saved = GenotypeFile.Load(Path.Combine(run, "genotype.json"));
        Assert.Equal(costly.Genotype.Genotype, saved.Genotype);
        Assert.True(saved.Predicted!.ContainsKey("gmacs"));
    }

    [Fact]
    public void AnInterruptedSearchResumesExactly()
    {
        using var dir = new TempDirectory();
        SearchOptions options = Options(50, epochs: 3);
        SearchResult straight = RunSearch(dir.Combine("straight"), options);

        // Kill the second run in the middle of epoch 2 (step 9 of 6 per epoch), then resume it.
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress(p =>
        {
            if (p.Done == 9)
            {
                cts.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() => RunSearch(dir.Combine("interrupted"), options, token: cts.Token, progress: progress));
        Assert.False(File.Exists(dir.Combine("interrupted", "genotype.json")));
        SearchResult resumed = RunSearch(dir.Combine("interrupted"), options, resume: true);

        Assert.Equal(straight.Genotype.Genotype, resumed.Genotype.Genotype);
        for (int p = 0; p < SearchSpaceCatalog.Small.PositionCount; p++)
        {
            for (int k = 0; k < 13; k++)
            {
                Assert.Equal(straight.Probabilities[p, k], resumed.Probabilities[p, k], 6);
            }
        }

        string[] metricsA = File.ReadAllLines(dir.Combine("straight", "metrics.csv"));
        string[] metricsB = File.ReadAllLines(dir.Combine("interrupted", "metrics.csv"));
        Assert.Equal(metricsA.Length, metricsB.Length);
    }

    [Fact]
    public void ACrashBeforeTheFirstCompleteCheckpointStartsOverWithoutRepeatedRows()
    {
        using var dir = new TempDirectory();
        SearchOptions options = Options(50, epochs: 2);

        // A latency cost (MACs standing in for milliseconds): genotype.json must still carry gmacs and macs.
        ArchitectureCostModel macs = ArchitectureCostModel.FromMacs(SearchSpaceCatalog.Small, s_input, 4);
        var latency = new ArchitectureCostModel(SearchSpaceCatalog.Small, s_input, macs.BlockCosts, macs.FixedCost, Nas.Core.Costs.CostMetrics.Latency, "test");

        // The state a kill -9 during the first last.ckpt write leaves: metrics and probability rows, a temp file, no checkpoint.
        RunSearch(dir.Combine("crashed"), options, costModel: latency);
        File.Delete(dir.Combine("crashed", "checkpoints", "last.ckpt"));
        File.Delete(dir.Combine("crashed", "genotype.json"));
        string orphan = dir.Combine("crashed", "checkpoints", $".last.ckpt.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(orphan, "half a checkpoint");

        RunSearch(dir.Combine("crashed"), options, resume: true, costModel: latency);
        Assert.False(File.Exists(orphan));
        Assert.Equal(["1", "2"], Epochs(dir.Combine("crashed", "metrics.csv")));
        List<string> probabilityEpochs = Epochs(dir.Combine("crashed", "probabilities.csv"));
        Assert.Equal(2 * SearchSpaceCatalog.Small.PositionCount * 13, probabilityEpochs.Count);
        Assert.Equal(["1", "2"], probabilityEpochs.Distinct());

        NamedGenotype saved = GenotypeFile.Load(dir.Combine("crashed", "genotype.json"));
        Assert.Equal(["flops", "gmacs", "latency_ms", "macs"], saved.Predicted!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(saved.Predicted["macs"] / 1e9, saved.Predicted["gmacs"], 12);
    }

    private static List<string> Epochs(string csv) => File.ReadAllLines(csv).Skip(1).Select(l => l[..l.IndexOf(',', StringComparison.Ordinal)]).ToList();

    private sealed class SyncProgress(Action<Nas.Core.Progress.ProgressInfo> action) : IProgress<Nas.Core.Progress.ProgressInfo>
    {
        public void Report(Nas.Core.Progress.ProgressInfo value) => action(value);
    }
}
