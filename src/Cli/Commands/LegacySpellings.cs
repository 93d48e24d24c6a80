namespace Nas.Cli.Commands;

/// <summary>
/// Old option spellings that keep working without showing in help: <c>train</c>, <c>search</c>, <c>data synth</c> and
/// <c>demo</c> took <c>--out</c> before every command settled on <c>-o, --output</c>. System.CommandLine shows every alias
/// of an option in help, so the old spelling is rewritten to the new one before parsing instead of being an alias.
/// </summary>
internal static class LegacySpellings
{
    private const string OldOut = "--out";
    private const string NewOut = "--output";

    private static readonly string[][] s_outCommands = [["train"], ["search"], ["data", "synth"], ["demo"]];

    public static string[] Apply(string[] args)
    {
        if (!s_outCommands.Any(path => args.Length > path.Length && path.Select((name, i) => args[i] == name).All(x => x)))
        {
            return args;
        }

        var result = new string[args.Length];
        bool options = true;
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            options &= a != "--";
            result[i] = !options ? a
                : a == OldOut ? NewOut
                : a.StartsWith(OldOut + "=", StringComparison.Ordinal) || a.StartsWith(OldOut + ":", StringComparison.Ordinal) ? NewOut + a[OldOut.Length..]
                : a;
        }

        return result;
    }
}
