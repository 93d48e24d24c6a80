using Nas.Core;
using Nas.Latency.Fidelity;

namespace Nas.Latency.Tests;

public class LatencyCalibrationTests
{
    [Fact]
    public void ALineThatFitsTheMeasurementsIsKept()
    {
        double[] raw = [1.0, 1.5, 2.0, 2.5, 3.0];
        double[] measured = raw.Select(r => (0.8 * r) + 0.3).ToArray();
        LatencyCalibration fit = LatencyCalibration.Fit(raw, measured, cheapestRaw: 0.9);
        Assert.Equal("line", fit.Method);
        Assert.Equal(0.8, fit.Slope, 9);
        Assert.Equal(0.3, fit.Intercept, 9);
    }

    [Fact]
    public void ALineThatPredictsCheapNetworksAtZeroFallsBackToAProportionalFit()
    {
        // Measured on a busy machine: the dearest network was slowed down, which tilts the line so that its
        // intercept is far below zero and the cheapest network of the space would be predicted at -1.1 ms.
        double[] raw = [1.0, 1.2, 1.4, 1.6, 3.0];
        double[] measured = [0.9, 0.95, 1.0, 1.05, 6.0];
        LatencyCalibration fit = LatencyCalibration.Fit(raw, measured, cheapestRaw: 0.5);
        Assert.Equal("proportional", fit.Method);
        Assert.Equal(0, fit.Intercept);
        double expectedSlope = raw.Zip(measured, (r, m) => r * m).Sum() / raw.Sum(r => r * r);
        Assert.Equal(expectedSlope, fit.Slope, 12);
        Assert.True(fit.Slope * 0.5 > 0);
    }

    [Fact]
    public void EqualSumsCannotFitALineAndStillGiveAPositiveScale()
    {
        LatencyCalibration fit = LatencyCalibration.Fit([2.0, 2.0, 2.0], [1.0, 1.1, 0.9], cheapestRaw: 1.0);
        Assert.Equal("proportional", fit.Method);
        Assert.Equal(0.5, fit.Slope, 9);
    }

    [Theory]
    [InlineData(new[] { 1.0 }, new[] { 1.0 }, "at least two networks")]
    [InlineData(new[] { 1.0, 2.0 }, new[] { 1.0 }, "at least two networks")]
    [InlineData(new[] { 1.0, -2.0 }, new[] { 1.0, 2.0 }, "positive, finite")]
    [InlineData(new[] { 1.0, 2.0 }, new[] { 1.0, double.NaN }, "positive, finite")]
    public void BadInputIsRefused(double[] raw, double[] measured, string expected)
    {
        NasException e = Assert.Throws<NasException>(() => LatencyCalibration.Fit(raw, measured, 1.0));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
