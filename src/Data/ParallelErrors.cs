using System.Runtime.ExceptionServices;

namespace Nas.Data;

/// <summary>
/// Parallel loops wrap failures in an <see cref="AggregateException"/>; callers want the first real error (a
/// NasException naming a file, or a cancellation), so that the CLI prints one clear line.
/// </summary>
internal static class ParallelErrors
{
    public static void Run(Action loop)
    {
        try
        {
            loop();
        }
        catch (AggregateException e)
        {
            IReadOnlyList<Exception> inner = e.Flatten().InnerExceptions;
            Exception first = inner.FirstOrDefault(x => x is Nas.Core.NasException)
                ?? inner.FirstOrDefault(x => x is not OperationCanceledException)
                ?? inner[0];
            ExceptionDispatchInfo.Capture(first).Throw();
            throw;
        }
    }
}
