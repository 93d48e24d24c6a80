using Nas.Core.Genotypes;
using Nas.Core.IO;
using Nas.OneShot.Benchmark;
using Nas.TestSupport;

namespace Nas.Cli.Tests;

public class OneShotCommandTests
{
    [Fact]
    public void SupernetTrainThenEvolveUnderALimitAndRefuseBadInputInOneLine()
    {
        using var dir = new TempDirectory();
        string synth = dir.Combine("synth");
        Assert.Equal(0, CliRunner.Run("data", "synth", "--out", synth, "--count", "24", "--size", "64x128", "--seed", "3").Code);
        string supernet = dir.Combine("supernet");
        (int code, string output, string error) = CliRunner.Run("supernet", "train", "--dataset", "synthetic", "--root", synth, "--input", "64x128",
            "--epochs", "1", "--batch", "4", "--sampling", "sandwich", "--random-paths", "1", "-o", supernet);
        Assert.True(code == 0, error);
        Assert.Contains("checkpoint", output);
        string checkpoint = Path.Combine(supernet, "checkpoints", "last.ckpt");

        string evolve = dir.Combine("evolve");
        (code, output, error) = CliRunner.Run("search", "evolve", "--supernet", checkpoint, "--table", "macs", "--max-cost", "2e7",
            "--population", "2", "--generations", "1", "--bn-batches", "1", "--objectives", "miou,latency", "-o", evolve);
        Assert.True(code == 0, error);
        Assert.Contains("front member", output);
        NamedGenotype best = GenotypeFile.Load(Path.Combine(evolve, "genotype.json"));
        Assert.True(best.Predicted!["macs"] <= 2e7, $"{best.Predicted["macs"]}");

        string[][] bad =
        [
            ["--max-cost", "2e7", "--population", "1"],
            ["--max-cost", "1"],
            ["--max-cost", "2e7", "--max-cost", "3e7"],
            ["--max-cost", "2e7", "--objectives", "sideways"],
            ["--max-cost", "2e7", "--space", "large"],
        ];
        string[] expected = ["--population must be >= 2", "below the cheapest network of the space (3.51898E+06 macs)", "one --max-cost per --table", "--objectives 'sideways'", "is of space 'small'"];
        for (int i = 0; i < bad.Length; i++)
        {
            string outDir = dir.Combine($"bad-{i}");
            string[] args = ["search", "evolve", "--supernet", checkpoint, "--table", "macs", .. bad[i], "-o", outDir];
            (code, _, error) = CliRunner.Run(args);
            Assert.True(code == 1, $"case {i}: exit {code}, {error}");
            Assert.Contains(expected[i], error, StringComparison.Ordinal);
            Assert.Single(error.Trim().Split('\n'));
            Assert.False(Directory.Exists(outDir), $"case {i} created its output folder");
        }
    }

    [Fact]
    public void TheEfficacyBenchmarkRunsAtATinyScaleAndResumes()
    {
        using var dir = new TempDirectory();
        EfficacyPlan tiny = EfficacyPlan.Quick with
        {
            Images = 20,
            TargetFractions = [0.4],
            Population = 2,
            Generations = 0,
            RandomPerTarget = 1,
            RankSamples = 0,
        };
        string planFile = dir.Combine("plan.json");
        NasJson.WriteFile(planFile, tiny);
        string outDir = dir.Combine("bench");
        (int code, string output, string error) = CliRunner.Run("bench", "efficacy", "--plan", planFile, "-o", outDir);
        Assert.True(code == 0, error);
        Assert.Contains("3 networks retrained", output);
        string report = File.ReadAllText(Path.Combine(outDir, "efficacy.md"));
        foreach (string method in new[] { "| differentiable |", "| evolutionary |", "| random |" })
        {
            Assert.Contains(method, report);
        }

        Assert.True(File.Exists(Path.Combine(outDir, "plots", "pareto.png")));
        EfficacyResults results = NasJson.ReadFile<EfficacyResults>(Path.Combine(outDir, "results.json"));
        Assert.Equal(3, results.Networks.Count);
        Assert.All(results.Networks.Where(n => n.Method != "differentiable"), n => Assert.True(n.Cost <= n.TargetCost, $"{n.Name}: {n.Cost} > {n.TargetCost}"));

        (code, _, error) = CliRunner.Run("bench", "efficacy", "--plan", planFile, "-o", outDir);
        Assert.Equal(1, code);
        Assert.Contains("--resume", error);

        // Every stage finished: resuming only rewrites the summary, with the same networks.
        (code, _, error) = CliRunner.Run("bench", "efficacy", "--plan", planFile, "-o", outDir, "--resume");
        Assert.True(code == 0, error);
        EfficacyResults again = NasJson.ReadFile<EfficacyResults>(Path.Combine(outDir, "results.json"));
        Assert.Equal(results.Networks, again.Networks);
        Assert.Equal(results.Stages, again.Stages);
    }
}
