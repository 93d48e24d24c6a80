using Nas.Core;

namespace Nas.Training.Schedules;

/// <summary>
/// A learning-rate schedule evaluated from the global iteration, so resuming needs no scheduler state:
/// optional linear warm-up over <see cref="WarmupIterations"/>, then <see cref="Kind"/> over the remaining iterations.
/// </summary>
public sealed record LrSchedule(
    LrScheduleKind Kind,
    double BaseLr,
    long TotalIterations,
    long IterationsPerEpoch,
    long WarmupIterations = 0,
    double Power = 0.9,
    double MinLr = 0.0,
    int StepEpochs = 30,
    double Gamma = 0.1)
{
    public static LrSchedule Create(LrScheduleKind kind, double baseLr, int epochs, long iterationsPerEpoch, long warmupIterations = 0)
    {
        if (!(baseLr > 0) || double.IsInfinity(baseLr))
        {
            throw new NasException($"learning rate must be a positive number (got {baseLr})");
        }

        if (epochs < 1 || iterationsPerEpoch < 1)
        {
            throw new NasException($"a schedule needs at least one epoch and one iteration per epoch (got {epochs} x {iterationsPerEpoch})");
        }

        return new LrSchedule(kind, baseLr, epochs * iterationsPerEpoch, iterationsPerEpoch, warmupIterations);
    }

    public double At(long iteration)
    {
        if (WarmupIterations > 0 && iteration < WarmupIterations)
        {
            return BaseLr * (iteration + 1) / WarmupIterations;
        }

        long span = Math.Max(1, TotalIterations - WarmupIterations);
        double t = Math.Clamp((double)(iteration - WarmupIterations) / span, 0.0, 1.0);
        return Kind switch
        {
            LrScheduleKind.Poly => MinLr + ((BaseLr - MinLr) * Math.Pow(1.0 - t, Power)),
            LrScheduleKind.Cosine => MinLr + ((BaseLr - MinLr) * 0.5 * (1.0 + Math.Cos(Math.PI * t))),
            LrScheduleKind.Step => BaseLr * Math.Pow(Gamma, iteration / Math.Max(1, IterationsPerEpoch) / Math.Max(1, StepEpochs)),
            _ => BaseLr,
        };
    }
}
