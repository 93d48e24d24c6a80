namespace Nas.Core.Progress;

/// <summary>
/// Remaining time of a task from its recent step times: the time per unit over the last <c>window</c> units
/// reported (a rolling window), times the units left. The time before the first report (start-up, the first step's
/// warm-up) never enters the estimate, and a slow start is forgotten once the window has moved on. A report whose
/// <see cref="ProgressInfo.Done"/> goes backwards or whose total changes starts a new run of the same task name
/// (the demo trains ten networks under one "train" task): the window is cleared and <see cref="Observe"/> says so.
/// Time is passed in, so the estimate is a pure function of the reports.
/// </summary>
public sealed class RollingEta
{
    private readonly Queue<(TimeSpan At, long Done)> _samples = new();
    private readonly int _window;
    private long _total = -1;
    private (TimeSpan At, long Done) _last;

    /// <param name="window">How many of the most recent units the rate is measured over (at least 1).</param>
    public RollingEta(int window = 30)
    {
        if (window < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "the window must hold at least one unit");
        }

        _window = window;
    }

    /// <summary>Units done at the last report (-1 before the first).</summary>
    public long Done { get; private set; } = -1;

    /// <summary>Seconds per unit over the window; null until two reports with progress between them.</summary>
    public double? SecondsPerUnit
    {
        get
        {
            if (_samples.Count < 2)
            {
                return null;
            }

            (TimeSpan firstAt, long firstDone) = _samples.Peek();
            (TimeSpan lastAt, long lastDone) = _last;
            return lastDone > firstDone ? (lastAt - firstAt).TotalSeconds / (lastDone - firstDone) : null;
        }
    }

    /// <summary>Estimated time left after the last report; null while unknown (no rate yet or no total).</summary>
    public TimeSpan? Remaining => _total > 0 && SecondsPerUnit is double perUnit
        ? TimeSpan.FromSeconds(perUnit * Math.Max(0, _total - Done))
        : null;

    /// <summary>When the last report arrived.</summary>
    public TimeSpan LastReport => _last.At;

    /// <summary>Takes one report at time <paramref name="at"/>; returns true when it starts a new run of the task.</summary>
    public bool Observe(TimeSpan at, long done, long total)
    {
        bool restarted = Done >= 0 && (done < Done || total != _total);
        if (restarted)
        {
            _samples.Clear();
        }

        _total = total;
        if (_samples.Count > 0 && done == Done)
        {
            // A detail-only update: the step has not advanced, so the step's start time stays where it was.
            return restarted;
        }

        Done = done;
        _last = (at, done);
        _samples.Enqueue(_last);
        while (_samples.Count > 2 && done - _samples.Peek().Done > _window)
        {
            _samples.Dequeue();
        }

        return restarted;
    }

    /// <summary>The estimate as the progress lines print it: <c>eta 1:23</c>, <c>eta 1:02:03</c> or empty while unknown.</summary>
    public static string Format(TimeSpan? remaining)
    {
        if (remaining is not TimeSpan r)
        {
            return string.Empty;
        }

        long seconds = (long)Math.Round(r.TotalSeconds);
        return seconds >= 3600
            ? $"eta {seconds / 3600}:{seconds / 60 % 60:00}:{seconds % 60:00}"
            : $"eta {seconds / 60}:{seconds % 60:00}";
    }
}
