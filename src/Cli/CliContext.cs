using Microsoft.Extensions.Logging;
using Nas.Cli.Console;
using Nas.Core.Progress;
using Spectre.Console;

namespace Nas.Cli;

/// <summary>
/// What every command writes to: the output console (tables, results), the error writer (one-line errors),
/// a logger factory and progress bars. Tests create one over string writers and run commands in-process.
/// </summary>
public sealed class CliContext : IDisposable
{
    private readonly List<ILoggerProvider> _extraProviders = [];

    public CliContext(IAnsiConsole console, TextWriter error, bool interactive)
    {
        Console = console;
        Error = error;
        Interactive = interactive;
        LoggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(b =>
        {
            b.SetMinimumLevel(LogLevel.Information);
            b.AddProvider(new ConsoleLoggerProvider(console));
        });
    }

    public IAnsiConsole Console { get; }

    public TextWriter Error { get; }

    /// <summary>True when attached to a terminal: progress bars animate; otherwise progress is logged as lines.</summary>
    public bool Interactive { get; }

    public ILoggerFactory LoggerFactory { get; private set; }

    public static CliContext CreateForConsole()
    {
        bool interactive = !System.Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NAS_NO_PROGRESS") is null;
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(System.Console.Out),
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!interactive)
        {
            // Redirected output (logs, CI) has no terminal width; keep tables readable.
            console.Profile.Width = 400;
        }

        return new CliContext(console, System.Console.Error, interactive);
    }

    public static CliContext CreateForWriters(TextWriter output, TextWriter error)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Interactive = InteractionSupport.No,
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 200;
        return new CliContext(console, error, interactive: false);
    }

    public ILogger<T> Logger<T>() => LoggerFactory.CreateLogger<T>();

    /// <summary>Adds a log file (a run folder's log.txt) for the rest of this command.</summary>
    public void AddLogFile(string path)
    {
        var provider = new Core.Logging.FileLoggerProvider(path);
        _extraProviders.Add(provider);
        LoggerFactory.AddProvider(provider);
    }

    /// <summary>Runs <paramref name="work"/> under a progress display fed by the <see cref="IProgress{T}"/> it is given.</summary>
    public T WithProgress<T>(string title, Func<IProgress<ProgressInfo>, T> work) =>
        ProgressDisplay.Run(this, title, work);

    public void WithProgress(string title, Action<IProgress<ProgressInfo>> work) =>
        ProgressDisplay.Run(this, title, p =>
        {
            work(p);
            return 0;
        });

    public void Dispose()
    {
        LoggerFactory.Dispose();
        foreach (ILoggerProvider p in _extraProviders)
        {
            p.Dispose();
        }
    }
}
