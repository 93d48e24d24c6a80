using Nas.Core;
using Nas.Training.Schedules;

namespace Nas.Training.Tests;

public class LrScheduleTests
{
    [Fact]
    public void PolyAndCosineStartAtTheBaseRateAndEndAtTheMinimum()
    {
        LrSchedule poly = LrSchedule.Create(LrScheduleKind.Poly, 0.1, epochs: 10, iterationsPerEpoch: 100);
        Assert.Equal(0.1, poly.At(0), 12);
        Assert.Equal(0.1 * Math.Pow(0.5, 0.9), poly.At(500), 12);
        Assert.Equal(0.0, poly.At(1000), 12);

        LrSchedule cosine = LrSchedule.Create(LrScheduleKind.Cosine, 0.1, 10, 100);
        Assert.Equal(0.05, cosine.At(500), 12);
        Assert.True(cosine.At(100) > cosine.At(200));
    }

    [Fact]
    public void WarmupRampsLinearlyAndStepDecays()
    {
        LrSchedule warm = LrSchedule.Create(LrScheduleKind.Constant, 0.2, 2, 10, warmupIterations: 4);
        Assert.Equal(0.05, warm.At(0), 12);
        Assert.Equal(0.2, warm.At(3), 12);
        LrSchedule step = LrSchedule.Create(LrScheduleKind.Step, 1.0, 90, 10) with { StepEpochs = 30 };
        Assert.Equal(1.0, step.At(299), 12);
        Assert.Equal(0.1, step.At(300), 12);
    }

    [Fact]
    public void InvalidRatesAreRejected()
    {
        Assert.Throws<NasException>(() => LrSchedule.Create(LrScheduleKind.Poly, 0, 1, 1));
        Assert.Throws<NasException>(() => LrSchedule.Create(LrScheduleKind.Poly, double.NaN, 1, 1));
        Assert.Throws<NasException>(() => LrSchedule.Create(LrScheduleKind.Poly, 0.1, 0, 1));
    }
}
