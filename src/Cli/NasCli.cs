using System.CommandLine;
using Nas.Cli.Commands;
using Nas.Cli.Console;

namespace Nas.Cli;

/// <summary>Builds the <c>nas</c> command tree and runs it with one-line errors and exit codes.</summary>
public static class NasCli
{
    /// <summary>Exit code for bad input (a NasException): the message names the file, row, key or value.</summary>
    public const int ExitBadInput = 1;

    /// <summary>Exit code for an unexpected failure (a bug): the message says to rerun with NAS_DEBUG=1.</summary>
    public const int ExitInternalError = 70;

    public const int ExitCancelled = 130;

    public static RootCommand BuildRoot(CliContext context)
    {
        var root = new RootCommand("nas: hardware-aware neural architecture search for semantic segmentation (SqueezeNAS spaces)");
        foreach (Command command in CommandCatalog.Create(context))
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    public static int Run(string[] args, CliContext context)
    {
        using (context)
        {
            RootCommand root = BuildRoot(context);
            ParseResult parsed = root.Parse(args);
            CommandWaitPolicy.Apply(parsed);
            var configuration = new InvocationConfiguration
            {
                Output = new SpectreTextWriter(context.Console),
                Error = context.Error,
                EnableDefaultExceptionHandler = false,
            };
            return parsed.Invoke(configuration);
        }
    }
}
