using System.CommandLine;
using System.Text.RegularExpressions;

namespace Nas.Cli.Commands;

/// <summary>Options over enums written in kebab-case on the command line (<c>single-path</c> → <c>SinglePath</c>).</summary>
internal static partial class KebabEnum
{
    public static Option<T?> Option<T>(string name, string description)
        where T : struct, Enum
    {
        string[] names = Enum.GetNames<T>().Select(ToKebab).ToArray();
        return new Option<T?>(name)
        {
            Description = description,
            HelpName = string.Join('|', names),
            CustomParser = result =>
            {
                string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
                foreach (T value in Enum.GetValues<T>())
                {
                    if (string.Equals(ToKebab(value.ToString()), text, StringComparison.OrdinalIgnoreCase) || string.Equals(value.ToString(), text, StringComparison.OrdinalIgnoreCase))
                    {
                        return value;
                    }
                }

                result.AddError($"{name} '{text}' is not valid: expected {string.Join(", ", names)}");
                return null;
            },
        };
    }

    public static string ToKebab(string pascal) => Boundary().Replace(pascal, "$1-$2").ToLowerInvariant();

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex Boundary();
}
