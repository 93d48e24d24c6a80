using System.CommandLine;
using System.Text.RegularExpressions;

namespace Nas.Cli.Commands;

/// <summary>
/// Options over enums written in kebab-case on the command line (<c>single-path</c> → <c>SinglePath</c>). The option
/// holds the kebab name (so help renders the default as <c>[default: single-path]</c>); <see cref="PickEnum"/> converts.
/// </summary>
internal static partial class KebabEnum
{
    public static Option<string> Option<T>(string name, string description, T defaultValue)
        where T : struct, Enum
    {
        string[] names = Enum.GetNames<T>().Select(ToKebab).ToArray();
        return new Option<string>(name)
        {
            Description = description,
            HelpName = string.Join('|', names),
            DefaultValueFactory = _ => ToKebab(defaultValue.ToString()),
            CustomParser = result => ParseToken(result, name, names, out T value) ? ToKebab(value.ToString()) : null,
        };
    }

    /// <summary>An enum option without a fixed default (the default comes from a plan or config and is named in the description).</summary>
    public static Option<T?> Option<T>(string name, string description)
        where T : struct, Enum
    {
        string[] names = Enum.GetNames<T>().Select(ToKebab).ToArray();
        return new Option<T?>(name)
        {
            Description = description,
            HelpName = string.Join('|', names),
            CustomParser = result => ParseToken(result, name, names, out T value) ? value : null,
        };
    }

    /// <summary>The option's value when the user gave it, else <paramref name="current"/> (from the config or its defaults).</summary>
    public static T PickEnum<T>(this ParseResult parse, Option<string> option, T current)
        where T : struct, Enum =>
        parse.Given(option) && TryParse(parse.GetValue(option), out T value) ? value : current;

    public static string ToKebab(string pascal) => Boundary().Replace(pascal, "$1-$2").ToLowerInvariant();

    /// <summary>The option's token as <typeparamref name="T"/>; otherwise an error naming the option and the allowed values.</summary>
    private static bool ParseToken<T>(System.CommandLine.Parsing.ArgumentResult result, string name, string[] names, out T value)
        where T : struct, Enum
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (TryParse(text, out value))
        {
            return true;
        }

        result.AddError($"{name} '{text}' is not valid: expected {string.Join(", ", names)}");
        return false;
    }

    private static bool TryParse<T>(string? text, out T value)
        where T : struct, Enum
    {
        foreach (T candidate in Enum.GetValues<T>())
        {
            if (string.Equals(ToKebab(candidate.ToString()), text, StringComparison.OrdinalIgnoreCase) || string.Equals(candidate.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex Boundary();
}
