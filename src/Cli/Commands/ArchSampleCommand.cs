using System.CommandLine;

namespace Nas.Cli.Commands;

/// <summary><c>nas arch sample</c>: random genotypes at a target table cost (added with the search issue).</summary>
internal static class ArchSampleCommand
{
    public static IEnumerable<Command> Create(CliContext context)
    {
        _ = context;
        return [];
    }
}
