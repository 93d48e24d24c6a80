using Nas.Core;
using Nas.Latency.Profiling;

namespace Nas.Latency.Tests;

public class RepeatedTimingTests
{
    [Theory]
    [InlineData(new[] { 1.0 }, true)]
    [InlineData(new[] { 2.0, 1.0, 1.04 }, true)]
    [InlineData(new[] { 1.0, 1.2, 1.3 }, false)]
    [InlineData(new[] { 3.3, 1.81, 1.85 }, true)]
    public void RoundsAgreeWhenTheTwoFastestAgree(double[] medians, bool agree) =>
        Assert.Equal(agree, RepeatedTiming.RoundsAgree(medians, 0.05));

    [Fact]
    public void InterleavedRoundsVisitEveryModelInTurnAfterItsWarmUp()
    {
        var calls = new List<char>();
        var settings = new ProfileSettings(Warmup: 1, Runs: 2, Repeats: 2);
        IReadOnlyList<LatencyStats> stats = RepeatedTiming.Interleaved(settings, [() => calls.Add('a'), () => calls.Add('b')]);
        Assert.Equal("abaabbaabb", new string([.. calls]));
        Assert.All(stats, s => Assert.Equal(2, s.Rounds));
        Assert.All(stats, s => Assert.Equal(2, s.Runs));
    }

    [Fact]
    public void WithoutAMaximumExactlyTheRepeatsAreTimed()
    {
        int calls = 0;
        LatencyStats s = RepeatedTiming.BestOfRepeats(new ProfileSettings(Warmup: 2, Runs: 4, Repeats: 3), () => calls++);
        Assert.Equal(3, s.Rounds);
        Assert.Equal(2 + (3 * 4), calls);
        Assert.True(s.RoundSpread >= 0);
    }

    [Theory]
    [InlineData(0, 0, 0.05)]
    [InlineData(1, -1, 0.05)]
    [InlineData(1, 3, 0)]
    [InlineData(1, 3, 1)]
    public void BadSettingsAreRefused(int repeats, int maxRepeats, double stability) =>
        Assert.Throws<NasException>(() => new ProfileSettings(Repeats: repeats, MaxRepeats: maxRepeats, Stability: stability).Validate());
}
