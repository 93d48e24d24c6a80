using Microsoft.Extensions.Logging;

namespace Nas.Core.Logging;

/// <summary>
/// A logger factory that writes to an outer factory (the console) and to one more provider (a run folder's
/// log file). Disposing it disposes only the extra provider, never the outer factory.
/// </summary>
public sealed class TeeLoggerFactory(ILoggerFactory outer, ILoggerProvider extra) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new TeeLogger(outer.CreateLogger(categoryName), extra.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => outer.AddProvider(provider);

    public void Dispose() => extra.Dispose();

    private sealed class TeeLogger(ILogger a, ILogger b) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => a.IsEnabled(logLevel) || b.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            a.Log(logLevel, eventId, state, exception, formatter);
            b.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
