using System.Diagnostics;
using Nas.Core.Progress;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Nas.Cli.Console;

/// <summary>
/// Turns <see cref="ProgressInfo"/> reports into Spectre.Console progress bars (one per run of a task, with ETA)
/// on a terminal, and into occasional plain lines when the output is redirected (CI logs, tests). ETAs come from
/// the measured time of the most recent steps (<see cref="RollingEta"/>), so start-up time and earlier runs under
/// the same task name never inflate them.
/// </summary>
internal static class ProgressDisplay
{
    public static T Run<T>(CliContext context, string title, Func<IProgress<ProgressInfo>, T> work)
    {
        if (!context.Interactive)
        {
            return work(new LineProgress(context.Console, title));
        }

        T result = default!;
        var clock = Stopwatch.StartNew();
        context.Console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ElapsedTimeColumn(),
                new EtaColumn(clock),
                new SpinnerColumn())
            .Start(ctx =>
            {
                var reporter = new BarProgress(ctx, title, clock);
                result = work(reporter);
                reporter.CompleteAll();
            });
        return result;
    }

    /// <summary>Reports synchronously on the caller's thread (Progress&lt;T&gt; would post to the thread pool and reorder).</summary>
    private sealed class BarProgress(ProgressContext ctx, string title, Stopwatch clock) : IProgress<ProgressInfo>
    {
        private readonly Dictionary<string, ProgressTask> _tasks = [];
        private readonly Lock _gate = new();

        public void Report(ProgressInfo value)
        {
            lock (_gate)
            {
                if (_tasks.TryGetValue(value.Task, out ProgressTask? task) && ((RollingEta)task.Tag!).Observe(clock.Elapsed, value.Done, value.Total))
                {
                    // A new run under the same task name (the next network of the demo): the finished bar stays, a new one starts.
                    task.StopTask();
                    task = null;
                }

                if (task is null)
                {
                    var fresh = new RollingEta();
                    fresh.Observe(clock.Elapsed, value.Done, value.Total);
                    task = ctx.AddTask(Label(value), maxValue: Math.Max(1, value.Total));
                    task.Tag = fresh;
                    _tasks[value.Task] = task;
                }

                if (value.Total > 0)
                {
                    task.MaxValue = value.Total;
                    task.IsIndeterminate = false;
                }
                else
                {
                    task.IsIndeterminate = true;
                }

                task.Value = Math.Min(value.Done, task.MaxValue);
                task.Description = Label(value);

                // The render thread reads the estimate through the task's (locked) state, never the estimator itself.
                var eta = (RollingEta)task.Tag!;
                double remaining = eta.Remaining?.TotalSeconds ?? -1;
                double at = eta.LastReport.TotalSeconds;
                task.State.Update<double>(EtaColumn.RemainingKey, _ => remaining);
                task.State.Update<double>(EtaColumn.ReportedAtKey, _ => at);
            }
        }

        public void CompleteAll()
        {
            lock (_gate)
            {
                foreach (ProgressTask t in _tasks.Values)
                {
                    if (!t.IsIndeterminate && t.Value >= t.MaxValue)
                    {
                        t.StopTask();
                    }
                }
            }
        }

        private string Label(ProgressInfo v) => Markup.Escape(v.Detail is null ? $"{title}: {v.Task}" : $"{title}: {v.Task} {v.Detail}");
    }

    /// <summary>
    /// Plain lines: at most one per task every few seconds, plus the first and the last line of every run, with an
    /// ETA from the recent step times (none until two steps were timed).
    /// </summary>
    internal sealed class LineProgress(IAnsiConsole console, string title, Func<TimeSpan>? clock = null) : IProgress<ProgressInfo>
    {
        private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(5);
        private readonly Dictionary<string, (RollingEta Eta, TimeSpan? LastPrint)> _state = [];
        private readonly Func<TimeSpan> _clock = clock ?? StartClock();
        private readonly Lock _gate = new();

        public void Report(ProgressInfo value)
        {
            lock (_gate)
            {
                TimeSpan now = _clock();
                if (!_state.TryGetValue(value.Task, out var s))
                {
                    s = (new RollingEta(), null);
                }

                if (s.Eta.Observe(now, value.Done, value.Total))
                {
                    s.LastPrint = null;
                }

                bool last = value.Total > 0 && value.Done >= value.Total;
                if (last || s.LastPrint is null || now - s.LastPrint.Value >= s_interval)
                {
                    string eta = last ? string.Empty : RollingEta.Format(s.Eta.Remaining);
                    string count = value.Total > 0 ? $"{value.Done}/{value.Total}" : $"{value.Done}";
                    console.WriteLine($"{title}: {value.Task} {count}{(value.Detail is null ? string.Empty : " " + value.Detail)}{(eta.Length > 0 ? " " + eta : string.Empty)}");
                    s.LastPrint = now;
                }

                _state[value.Task] = s;
            }
        }

        private static Func<TimeSpan> StartClock()
        {
            var watch = Stopwatch.StartNew();
            return () => watch.Elapsed;
        }
    }

    /// <summary>The remaining time of a bar from its <see cref="RollingEta"/> (stored in the task's state), counting down between reports.</summary>
    private sealed class EtaColumn(Stopwatch clock) : ProgressColumn
    {
        public const string RemainingKey = "nas.eta.remaining_s";
        public const string ReportedAtKey = "nas.eta.reported_at_s";

        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        {
            double remaining = task.State.Get<double>(RemainingKey);
            if (task.IsFinished || remaining <= 0)
            {
                return new Text(task.IsFinished ? string.Empty : "--:--", new Style(Color.Blue));
            }

            double left = Math.Max(0, remaining - (clock.Elapsed.TotalSeconds - task.State.Get<double>(ReportedAtKey)));
            return new Text(RollingEta.Format(TimeSpan.FromSeconds(left))["eta ".Length..], new Style(Color.Blue));
        }
    }
}
