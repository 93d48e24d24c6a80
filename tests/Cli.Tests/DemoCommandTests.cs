using Nas.TestSupport;

namespace Nas.Cli.Tests;

public class DemoCommandTests
{
    [Fact]
    public void ThreeMinuteDemoWritesTheReportWithAllPlots()
    {
        using var dir = new TempDirectory();
        string output = dir.Combine("demo");
        (int code, string stdout, string error) = CliRunner.Run("demo", "--minutes", "3", "--out", output);
        Assert.True(code == 0, error + stdout[^Math.Min(2000, stdout.Length)..]);
        string report = File.ReadAllText(Path.Combine(output, "report.md"));
        Assert.Contains("| searched-1 | searched |", report);
        Assert.Contains("| random-1.1 | random |", report);
        Assert.Contains("squeezenas-mac-small", report);
        foreach (string plot in new[] { "pareto.png", "latency-prediction.png", "training-curves.png", "examples.png" })
        {
            Assert.True(new FileInfo(Path.Combine(output, "plots", plot)).Length > 1000, plot);
        }

        Assert.True(File.Exists(Path.Combine(output, "search", "target-1", "plots", "probabilities.png")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(output, "onnx"), "*.onnx"));

        // --resume on a finished demo reuses every stage and rewrites the same report.
        (code, _, error) = CliRunner.Run("demo", "--minutes", "3", "--out", output, "--resume");
        Assert.True(code == 0, error);
        Assert.Contains("| searched-1 | searched |", File.ReadAllText(Path.Combine(output, "report.md")));
    }
}
