using System.CommandLine;

namespace Nas.Cli.Commands;

/// <summary>Merging explicitly given command-line options over a configuration loaded from <c>--config</c>.</summary>
internal static class OptionValues
{
    /// <summary>The option's value when the user gave it, else <paramref name="current"/> (from the config or its defaults).</summary>
    public static T Pick<T>(this ParseResult parse, Option<T> option, T current) =>
        parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option)! : current;

    public static T Pick<T>(this ParseResult parse, Option<T?> option, T current)
        where T : struct =>
        parse.GetResult(option) is { Implicit: false } && parse.GetValue(option) is T value ? value : current;

    public static bool Given(this ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };
}
