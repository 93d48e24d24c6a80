using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Nas.Cli.Console;

/// <summary>Writes library log messages (information and above) to the CLI's console, dimmed, escaped.</summary>
internal sealed class ConsoleLoggerProvider(IAnsiConsole console) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new ConsoleLogger(console);

    public void Dispose()
    {
    }

    private sealed class ConsoleLogger(IAnsiConsole console) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            string text = Markup.Escape(formatter(state, exception));
            string line = logLevel switch
            {
                LogLevel.Warning => $"[yellow]warning:[/] {text}",
                >= LogLevel.Error => $"[red]error:[/] {text}",
                _ => $"[grey]{text}[/]",
            };
            console.MarkupLine(line);
        }
    }
}
