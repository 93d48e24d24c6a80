using Nas.Cli.Console;
using Nas.Core.Progress;

namespace Nas.Cli.Tests;

public class ProgressDisplayTests
{
    [Fact]
    public void LineEtasComeFromTheCurrentRunsRecentSteps()
    {
        var output = new StringWriter();
        using CliContext context = CliContext.CreateForWriters(output, new StringWriter());
        var now = TimeSpan.Zero;
        var lines = new ProgressDisplay.LineProgress(context.Console, "demo", () => now);

        // First network: 2 minutes of start-up, then 10 s per step.
        now = TimeSpan.FromMinutes(2);
        lines.Report(new ProgressInfo("train", 1, 60, "net 1"));
        for (int done = 2; done <= 60; done++)
        {
            now += TimeSpan.FromSeconds(10);
            lines.Report(new ProgressInfo("train", done, 60, "net 1"));
        }

        // Second network under the same task name: 1 s per step. Its ETA must not carry the first network's time.
        for (int done = 1; done <= 6; done++)
        {
            now += TimeSpan.FromSeconds(1);
            lines.Report(new ProgressInfo("train", done, 60, "net 2"));
        }

        string[] printed = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("demo: train 1/60 net 1", printed[0]);
        Assert.Contains("demo: train 2/60 net 1 eta 9:40", printed);
        Assert.Contains("demo: train 60/60 net 1", printed);
        Assert.Contains("demo: train 1/60 net 2", printed);
        Assert.Equal("demo: train 6/60 net 2 eta 0:54", printed[^1]);
    }
}
