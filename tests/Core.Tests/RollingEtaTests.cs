using Nas.Core.Progress;

namespace Nas.Core.Tests;

public class RollingEtaTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void UnknownUntilTwoStepsWereTimed()
    {
        var eta = new RollingEta();
        Assert.False(eta.Observe(S(40), 1, 100));
        Assert.Null(eta.Remaining);
        Assert.Equal(string.Empty, RollingEta.Format(eta.Remaining));
        eta.Observe(S(42), 2, 100);
        Assert.Equal(S(2 * 98), eta.Remaining);
    }

    [Fact]
    public void ASlowStartIsForgottenOnceTheWindowMovesOn()
    {
        // 60 s of start-up before the first report, then a first step of 30 s, then steps of 1 s.
        var eta = new RollingEta(window: 10);
        eta.Observe(S(60), 1, 100);
        eta.Observe(S(90), 2, 100);
        double t = 90;
        for (long done = 3; done <= 40; done++)
        {
            t += 1;
            eta.Observe(S(t), done, 100);
        }

        Assert.Equal(1.0, eta.SecondsPerUnit!.Value, 6);
        Assert.Equal(S(60), eta.Remaining);
    }

    [Fact]
    public void FollowsAChangeOfPace()
    {
        var eta = new RollingEta(window: 5);
        double t = 0;
        for (long done = 1; done <= 20; done++)
        {
            t += done <= 10 ? 1 : 4;
            eta.Observe(S(t), done, 50);
        }

        Assert.Equal(4.0, eta.SecondsPerUnit!.Value, 6);
        Assert.Equal(S(30 * 4), eta.Remaining);
    }

    [Fact]
    public void ANewRunUnderTheSameNameStartsAfresh()
    {
        var eta = new RollingEta();
        for (long done = 1; done <= 10; done++)
        {
            eta.Observe(S(done * 100), done, 10);
        }

        // The next network's training: done goes back to 1; its steps take 1 s, the previous run's 100 s do not count.
        Assert.True(eta.Observe(S(1001), 1, 10));
        Assert.Null(eta.Remaining);
        Assert.False(eta.Observe(S(1002), 2, 10));
        Assert.Equal(S(8), eta.Remaining);

        // Same done, other total: also a new run.
        Assert.True(eta.Observe(S(1003), 2, 20));
    }

    [Fact]
    public void DetailOnlyUpdatesDoNotMoveTheStepStart()
    {
        var eta = new RollingEta();
        eta.Observe(S(0), 1, 10);
        eta.Observe(S(5), 1, 10);
        eta.Observe(S(10), 2, 10);
        Assert.Equal(10.0, eta.SecondsPerUnit!.Value, 6);
    }

    [Theory]
    [InlineData(59.6, "eta 1:00")]
    [InlineData(125, "eta 2:05")]
    [InlineData(3723, "eta 1:02:03")]
    public void Formats(double seconds, string text) => Assert.Equal(text, RollingEta.Format(S(seconds)));
}
