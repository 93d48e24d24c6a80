using System.Diagnostics;
using Nas.Core.Progress;

namespace Nas.Cli.Demo;

/// <summary>
/// Forwards progress reports (optionally renaming their task) and times the steps of each task: the interval between
/// two consecutive reports whose count advanced by one. The first report of a run is not a step start, so start-up
/// never counts; a count that goes back starts a new run.
/// </summary>
internal sealed class StepClock(IProgress<ProgressInfo> inner, string? taskPrefix = null) : IProgress<ProgressInfo>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<string, (TimeSpan At, long Done)> _last = [];
    private readonly Dictionary<string, List<double>> _steps = [];
    private readonly Lock _gate = new();

    public void Report(ProgressInfo value)
    {
        lock (_gate)
        {
            TimeSpan now = _clock.Elapsed;
            if (_last.TryGetValue(value.Task, out var last) && value.Done == last.Done + 1)
            {
                if (!_steps.TryGetValue(value.Task, out List<double>? list))
                {
                    _steps[value.Task] = list = [];
                }

                list.Add((now - last.At).TotalSeconds);
            }

            if (!_last.TryGetValue(value.Task, out last) || value.Done != last.Done)
            {
                _last[value.Task] = (now, value.Done);
            }
        }

        inner.Report(taskPrefix is null ? value : value with { Task = taskPrefix + value.Task });
    }

    /// <summary>Median step time of a task in seconds; null when no step was timed.</summary>
    public double? MedianStepSeconds(string task)
    {
        lock (_gate)
        {
            if (!_steps.TryGetValue(task, out List<double>? list) || list.Count == 0)
            {
                return null;
            }

            double[] sorted = list.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }

    /// <summary>Number of timed steps of a task.</summary>
    public int Steps(string task)
    {
        lock (_gate)
        {
            return _steps.TryGetValue(task, out List<double>? list) ? list.Count : 0;
        }
    }
}
