using System.Diagnostics;
using Nas.Core.Progress;
using Spectre.Console;

namespace Nas.Cli.Console;

/// <summary>
/// Turns <see cref="ProgressInfo"/> reports into Spectre.Console progress bars (one per task name, with ETA)
/// on a terminal, and into occasional plain lines when the output is redirected (CI logs, tests).
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
        context.Console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ElapsedTimeColumn(),
                new RemainingTimeColumn(),
                new SpinnerColumn())
            .Start(ctx =>
            {
                var reporter = new BarProgress(ctx, title);
                result = work(reporter);
                reporter.CompleteAll();
            });
        return result;
    }

    /// <summary>Reports synchronously on the caller's thread (Progress&lt;T&gt; would post to the thread pool and reorder).</summary>
    private sealed class BarProgress(ProgressContext ctx, string title) : IProgress<ProgressInfo>
    {
        private readonly Dictionary<string, ProgressTask> _tasks = [];
        private readonly Lock _gate = new();

        public void Report(ProgressInfo value)
        {
            lock (_gate)
            {
                if (!_tasks.TryGetValue(value.Task, out ProgressTask? task))
                {
                    task = ctx.AddTask(Label(value), maxValue: Math.Max(1, value.Total));
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

    /// <summary>Plain lines, at most one per task every few seconds (and the last one), with a simple ETA.</summary>
    private sealed class LineProgress(IAnsiConsole console, string title) : IProgress<ProgressInfo>
    {
        private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(5);
        private readonly Dictionary<string, (Stopwatch Clock, TimeSpan? LastPrint)> _state = [];
        private readonly Lock _gate = new();

        public void Report(ProgressInfo value)
        {
            lock (_gate)
            {
                if (!_state.TryGetValue(value.Task, out var s))
                {
                    s = (Stopwatch.StartNew(), null);
                }

                bool last = value.Total > 0 && value.Done >= value.Total;
                if (last || s.LastPrint is null || s.Clock.Elapsed - s.LastPrint.Value >= s_interval)
                {
                    string eta = string.Empty;
                    if (value.Total > 0 && value.Done > 0 && !last)
                    {
                        double remaining = s.Clock.Elapsed.TotalSeconds * (value.Total - value.Done) / value.Done;
                        eta = $" eta {TimeSpan.FromSeconds(Math.Round(remaining)):g}";
                    }

                    string count = value.Total > 0 ? $"{value.Done}/{value.Total}" : $"{value.Done}";
                    console.WriteLine($"{title}: {value.Task} {count}{(value.Detail is null ? string.Empty : " " + value.Detail)}{eta}");
                    s.LastPrint = s.Clock.Elapsed;
                }

                _state[value.Task] = s;
            }
        }
    }
}
