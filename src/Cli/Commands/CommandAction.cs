using System.CommandLine;
using Nas.Core;

namespace Nas.Cli.Commands;

/// <summary>
/// Attaches an action to a command with the project's error contract: bad input (<see cref="NasException"/>,
/// missing files, permissions) prints one line <c>error: ...</c> and exits 1; cancellation exits 130;
/// anything else is a bug, reported in one line (stack trace with NAS_DEBUG=1) with exit 70.
/// </summary>
internal static class CommandAction
{
    public static void SetNasAction(this Command command, CliContext context, Func<ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await action(parse, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                return Report(context, e);
            }
        });

    public static void SetNasAction(this Command command, CliContext context, Func<ParseResult, int> action) =>
        command.SetNasAction(context, (parse, _) => Task.FromResult(action(parse)));

    internal static int Report(CliContext context, Exception e)
    {
        Exception inner = Unwrap(e);
        switch (inner)
        {
            case NasException nas:
                context.Error.WriteLine($"error: {nas.Message}");
                return NasCli.ExitBadInput;
            case OperationCanceledException:
                context.Error.WriteLine("cancelled");
                return NasCli.ExitCancelled;
            case FileNotFoundException fnf:
                context.Error.WriteLine($"error: file not found: '{fnf.FileName ?? fnf.Message}'");
                return NasCli.ExitBadInput;
            case DirectoryNotFoundException or UnauthorizedAccessException or IOException:
                context.Error.WriteLine($"error: {inner.Message}");
                return NasCli.ExitBadInput;
            default:
                context.Error.WriteLine(Environment.GetEnvironmentVariable("NAS_DEBUG") is null
                    ? $"error: unexpected {inner.GetType().Name}: {inner.Message} (rerun with NAS_DEBUG=1 for details)"
                    : $"error: {inner}");
                return NasCli.ExitInternalError;
        }
    }

    private static Exception Unwrap(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } agg)
        {
            e = agg.InnerExceptions[0];
        }

        while (e is System.Reflection.TargetInvocationException { InnerException: Exception innerException })
        {
            e = innerException;
        }

        return e;
    }
}
