using System.CommandLine;
using System.CommandLine.Parsing;
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
            ParseResult parsed = root.Parse(LegacySpellings.Apply(args));
            CommandWaitPolicy.Apply(parsed);
            if (parsed.Errors.Count > 0 && parsed.UnmatchedTokens.Count == 0 && parsed.CommandResult.Command is { Action: null, Subcommands.Count: > 0 } group
                && parsed.Errors.All(e => e.SymbolResult is CommandResult c && c.Command == group))
            {
                // A command group without its subcommand ("nas", "nas arch"): its help lists the subcommands.
                parsed = root.Parse([.. CommandPath(parsed), "--help"]);
                parsed.Invoke(Configuration(context));
                return ExitBadInput;
            }

            if (parsed.Errors.Count > 0)
            {
                return ReportParseErrors(parsed, context);
            }

            return parsed.Invoke(Configuration(context));
        }
    }

    /// <summary>Command-line mistakes: one <c>error:</c> line each, in user words (no .NET type names), and where help is.</summary>
    private static int ReportParseErrors(ParseResult parsed, CliContext context)
    {
        foreach (ParseError error in parsed.Errors)
        {
            context.Error.WriteLine($"error: {Core.UserWords.ReplaceTypeNames(error.Message)}");
        }

        List<string> names = CommandPath(parsed);
        context.Error.WriteLine($"see 'nas {string.Join(' ', names)}{(names.Count > 0 ? " " : string.Empty)}--help'");
        return ExitBadInput;
    }

    private static InvocationConfiguration Configuration(CliContext context) => new()
    {
        Output = new SpectreTextWriter(context.Console),
        Error = context.Error,
        EnableDefaultExceptionHandler = false,
    };

    /// <summary>The names of the parsed command below the root, e.g. <c>["arch", "show"]</c>.</summary>
    private static List<string> CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (SymbolResult? r = parsed.CommandResult; r is not null; r = r.Parent)
        {
            if (r is CommandResult { Command: not RootCommand } c)
            {
                names.Insert(0, c.Command.Name);
            }
        }

        return names;
    }
}
