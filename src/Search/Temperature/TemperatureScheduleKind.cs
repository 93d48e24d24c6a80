namespace Nas.Search.Temperature;

/// <summary>Gumbel temperature schedules.</summary>
public enum TemperatureScheduleKind
{
    /// <summary>τ_e = start · exp(−decay · e) (FBNet: start 5.0, decay 0.045), floored at <c>end</c>.</summary>
    Exponential,

    /// <summary>Linear from start to end over <c>epochs</c>, then held (the author's supernet-nas example: 5 → 1).</summary>
    Linear,
}
