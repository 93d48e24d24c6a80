using System.CommandLine;
using System.CommandLine.Parsing;
using Nas.Core.Threading;

namespace Nas.Cli;

/// <summary>
/// Chooses, before a command runs, how idle worker threads wait. Latency measurement keeps spinning workers (libgomp's
/// default here; ONNX Runtime sessions spin inside <c>OrtProfiler</c>), because sleeping and waking between parallel
/// regions would be timed. Every other command (training, search, evaluation, prediction, export, the demo) makes
/// libtorch's OpenMP threads sleep when idle, so it degrades gracefully on shared cores (docs/benchmarks.md,
/// "Shared cores"). An OMP_WAIT_POLICY or GOMP_SPINCOUNT set by the user always wins.
/// </summary>
public static class CommandWaitPolicy
{
    /// <summary>The commands that measure latency, by their path below the root command.</summary>
    public static IReadOnlySet<string> SpinningCommands { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "lut profile",
        "lut run-kit",
        "lut check",
        "bench inference",
    };

    /// <summary>The command's path below the root, e.g. <c>lut profile</c>.</summary>
    public static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (SymbolResult? result = parsed.CommandResult; result is CommandResult command && command.Parent is not null; result = command.Parent)
        {
            names.Insert(0, command.Command.Name);
        }

        return string.Join(' ', names);
    }

    /// <summary>Applies the policy for the parsed command; returns what libgomp will do, or null for a spinning command.</summary>
    public static OpenMpWaitOutcome? Apply(ParseResult parsed) =>
        SpinningCommands.Contains(CommandPath(parsed)) ? null : OpenMpWaitPolicy.UsePassiveWaiting();
}
