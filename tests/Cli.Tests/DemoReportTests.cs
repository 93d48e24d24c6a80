using Nas.Cli.Demo;
using Nas.Latency.Fidelity;

namespace Nas.Cli.Tests;

public class DemoReportTests
{
    private static readonly DemoPlan s_plan = DemoPlan.For(10);

    private static DemoNetworkResult Net(string name, string kind, double? target, double predicted, double measured, double miou, bool stable = true) =>
        new(name, kind, "small:...", target, 20_000_000, 150_000, predicted, measured, measured * 0.98, measured * 1.05, stable ? 3 : 10, stable ? 0.02 : 0.4, stable,
            miou, 0.9, $"train/{name}/checkpoints/last.ckpt", $"onnx/{name}.onnx", $"train/{name}");

    private static DemoSummary Summary(double totalSeconds, IReadOnlyList<DemoNetworkResult> nets, CalibrationAssessment? calibration = null, bool fits = true) => new(
        s_plan,
        new DemoSizing(8, 2, 6, new DemoStepTimes(0.2, 0.08, 0.01), 480, 180, 290, fits),
        new DemoDataUse(280, 240, 180, 60, 40),
        "/x/demo/tables/latency-small-128x256.csv",
        calibration,
        new DemoTargets(0.4, 1.6, 1.0, [0.52, 0.7]),
        nets,
        [new DemoStageTime("data", "synthetic rail scenes", 12, 1), new DemoStageTime("training", "every network trained", totalSeconds - 12, 1)],
        totalSeconds,
        "2026-12-01T00:00:00Z");

    [Fact]
    public void AWellBehavedRunStatesWhatWasMeasured()
    {
        string md = DemoReport.Markdown(
            Summary(9.5 * 60, [Net("searched-1", "searched", 0.52, 0.50, 0.52, 0.41), Net("random-1.1", "random", 0.52, 0.53, 0.50, 0.38), Net("searched-2", "searched", 0.7, 0.7, 0.72, 0.42)]),
            [0.53, 0.71]);
        Assert.Contains("**Wall time 9.5 min for a budget of 10 min**", md);
        Assert.DoesNotContain("⚠ **", md);
        Assert.DoesNotContain("(⚠", md);
        Assert.Contains("280 synthetic rail scenes at 128x256, all used: 240 for training", md);
        Assert.Contains("180 for weight and 60 for architecture updates) and 40 for validation", md);
        Assert.Contains("| data | synthetic rail scenes | 12 s |", md);
        Assert.Contains("| **total** | budget 10 min | **9.5 min** |", md);
        Assert.Contains("targets (0.52, 0.70 ms) lie below it", md);
        Assert.Contains("the search ended at an expected 0.53 ms", md);
        Assert.Contains("at least as good as the median random network drawn at the same target (38.0 % over 1)", md);
        Assert.Contains("mean absolute error of 4.2 % (largest 6.0 %)", md);
    }

    [Fact]
    public void OverBudgetOverTargetBadPredictionsAndUnstableTimingsAreFlagged()
    {
        var rejected = new CalibrationAssessment(new LatencyCalibration(2.22, 0.1, "line"), 30, 25, 36.8, false, "calibration rejected: … the raw table is used");
        string md = DemoReport.Markdown(
            Summary(37.5 * 60, [Net("searched-1", "searched", 0.52, 0.63, 0.2, 0.41, stable: false), Net("random-1.1", "random", 0.52, 0.53, 0.5, 0.45)], rejected, fits: false),
            [0.6, double.NaN]);
        Assert.Contains("⚠ **The demo took 37.5 min, 27.5 min more than its budget of 10 min.** Even the fewest epochs did not fit", md);
        Assert.Contains("the minimum, which did not fit the budget", md);
        Assert.Contains("⚠ calibration rejected", md);
        Assert.Contains("| ⚠ **+21 %** |", md);
        Assert.Contains("**⚠ 21 % over its target**", md);
        Assert.Contains("**worse** than the median random network", md);
        Assert.Contains("⚠ **The latency table predicts these networks poorly: mean absolute error 110 % (largest 215 %).**", md);
        Assert.Contains("1 of 2 networks did not time stably", md);
        Assert.Contains("| 10 (⚠ 40 %) |", md);
    }

    [Theory]
    [InlineData(6.32, true)]
    [InlineData(0.3, true)]
    [InlineData(0.7, false)]
    public void AKeptCalibrationWithAnImplausibleScaleIsFlagged(double slope, bool flagged)
    {
        var kept = new CalibrationAssessment(new LatencyCalibration(slope, 0.5, "line"), 88, 15, 18.6, true, "calibration kept: …");
        string md = DemoReport.Markdown(Summary(300, [Net("searched-1", "searched", 0.52, 0.5, 0.5, 0.4)], kept), [0.5, 0.6]);
        Assert.Contains("- **Calibration** (8 random networks timed end to end): calibration kept", md);
        Assert.Equal(flagged, md.Contains("⚠ **It scales the table by", StringComparison.Ordinal));
    }
}
