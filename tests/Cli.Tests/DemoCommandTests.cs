using System.Text.Json;
using Nas.TestSupport;

namespace Nas.Cli.Tests;

public class DemoCommandTests
{
    [Fact]
    public void AOneMinuteDemoWritesTheReportWithAllPlotsAndResumes()
    {
        // One minute is less than the fewest epochs take on 2 cores: the demo runs its minimum and says how long it took.
        using var dir = new TempDirectory();
        string output = dir.Combine("demo");
        (int code, string stdout, string error) = CliRunner.Run("demo", "--minutes", "1", "--out", output);
        Assert.True(code == 0, error + stdout[^Math.Min(2000, stdout.Length)..]);
        string report = File.ReadAllText(Path.Combine(output, "report.md"));
        Assert.Contains("| searched-1 | searched |", report);
        Assert.Contains("| random-1.1 | random |", report);
        Assert.Contains("squeezenas-mac-small", report);
        foreach (string plot in new[] { "pareto.png", "latency-prediction.png", "training-curves.png", "examples.png" })
        {
            Assert.True(new FileInfo(Path.Combine(output, "plots", plot)).Length > 1000, plot);
        }

        foreach (string plot in new[] { "probabilities.png", "cost.png" })
        {
            Assert.True(File.Exists(Path.Combine(output, "search", "target-1", "plots", plot)), plot);
        }

        Assert.NotEmpty(Directory.GetFiles(Path.Combine(output, "onnx"), "*.onnx"));

        // The report states what was measured: every stage's wall time, their total against the budget, the images used.
        using JsonDocument results = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "demo-results.json")));
        JsonElement root = results.RootElement;
        double total = root.GetProperty("total_seconds").GetDouble();
        string[] stages = root.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("stage").GetString()!).ToArray();
        Assert.Equal(["data", "latency-table", "calibration", "sizing", "search", "baselines", "training", "measurement", "report"], stages);
        Assert.Equal(total, root.GetProperty("stages").EnumerateArray().Sum(s => s.GetProperty("seconds").GetDouble()), 6);
        Assert.Contains($"| **total** | budget 1 min | **{(total / 60).ToString("F1", System.Globalization.CultureInfo.InvariantCulture)} min** |", report);
        Assert.Equal(total > 60, report.Contains("more than its budget of 1 min", StringComparison.Ordinal));
        JsonElement data = root.GetProperty("data");
        Assert.Equal(data.GetProperty("generated").GetInt32(), data.GetProperty("train").GetInt32() + data.GetProperty("val").GetInt32());
        Assert.Contains($"{data.GetProperty("generated").GetInt32()} synthetic rail scenes at 128x256, all used", report);

        // Nothing outside the demo folder: the latency table and its calibration are measured into it.
        Assert.True(File.Exists(Path.Combine(output, "tables", "latency-small-128x256.csv")));
        Assert.True(File.Exists(Path.Combine(output, "tables", "calibration", "calibration.json")));

        // --resume on a finished demo reuses every stage, adds to the stage times and rewrites the same report.
        (code, _, error) = CliRunner.Run("demo", "--minutes", "1", "--out", output, "--resume");
        Assert.True(code == 0, error);
        report = File.ReadAllText(Path.Combine(output, "report.md"));
        Assert.Contains("| searched-1 | searched |", report);
        Assert.Contains("| search | latency-aware searches at the targets |", report);
        Assert.Contains("(2 invocations) |", report);
    }
}
