using System.CommandLine;
using Nas.Core;
using Nas.Core.SearchSpaces;

namespace Nas.Cli.Commands;

/// <summary>Option factories shared by several commands, so the same option reads the same everywhere.</summary>
internal static class CommonOptions
{
    public static Option<string> Input(string defaultValue = "1024x2048", string description = "input size HxW") =>
        new("--input") { Description = description, DefaultValueFactory = _ => defaultValue };

    public static Option<int?> Classes() => new("--classes") { Description = "number of output classes (default: the network's own, 19 for the published ones)" };

    /// <summary><c>--classes</c> of commands that build a head without a network to take it from (tables, kits, samples): at least 1.</summary>
    public static Option<int> HeadClasses(int defaultValue = 19)
    {
        var option = new Option<int>("--classes") { Description = "class count of the head", DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is int value and < 1)
            {
                result.AddError($"--classes must be >= 1 (got {value})");
            }
        });
        return option;
    }

    public static Option<int> Seed(int defaultValue = 0) => new("--seed") { Description = "random seed", DefaultValueFactory = _ => defaultValue };

    public static Option<int> Threads(int defaultValue = 2) => new("--threads") { Description = "intra-op threads", DefaultValueFactory = _ => defaultValue };

    public static Option<bool> Json() => new("--json") { Description = "print one JSON object instead of a table" };

    /// <summary>
    /// The one output option of every command: <c>-o, --output</c>, required unless it has a default. Train, search,
    /// data synth and demo also accept their old spelling <c>--out</c> (see <see cref="LegacySpellings"/>).
    /// </summary>
    public static Option<string> OutputFile(string description = "output file", string? defaultValue = null) =>
        defaultValue is null
            ? new("--output", "-o") { Description = description, Required = true }
            : new("--output", "-o") { Description = description, DefaultValueFactory = _ => defaultValue };

    public static InputSize ParseSize(string text, string optionName) => InputSize.Parse(text, optionName);
}
