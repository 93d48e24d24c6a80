using Nas.Core;

namespace Nas.Search.Temperature;

/// <summary>The Gumbel-softmax temperature per epoch.</summary>
public sealed record TemperatureSchedule(TemperatureScheduleKind Kind, double Start = 5.0, double End = 0.1, double Decay = 0.045, int Epochs = 0)
{
    public void Validate()
    {
        if (!(Start > 0) || double.IsInfinity(Start) || !(End > 0) || double.IsInfinity(End))
        {
            throw new NasException($"temperatures must be positive finite numbers (got start {Start}, end {End})");
        }

        if (Kind == TemperatureScheduleKind.Exponential && (!(Decay >= 0) || double.IsInfinity(Decay)))
        {
            throw new NasException($"--tau-decay must be >= 0 (got {Decay})");
        }
    }

    /// <summary>Temperature during epoch <paramref name="epoch"/> (0-based) of a run of <paramref name="totalEpochs"/>.</summary>
    public double At(int epoch, int totalEpochs)
    {
        if (Kind == TemperatureScheduleKind.Exponential)
        {
            return Math.Max(End, Start * Math.Exp(-Decay * epoch));
        }

        int span = Epochs > 0 ? Epochs : Math.Max(1, totalEpochs - 1);
        double t = Math.Clamp((double)epoch / span, 0.0, 1.0);
        return Start + ((End - Start) * t);
    }
}
