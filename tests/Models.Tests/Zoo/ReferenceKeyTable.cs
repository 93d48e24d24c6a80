using System.Text.RegularExpressions;
using Nas.TestSupport;

namespace Nas.Models.Tests.Zoo;

/// <summary>A state-dict key list of docs/zoo/tables (<c>| # | `key` | [shape] | kind |</c> rows) as "key:shape" strings.</summary>
internal static partial class ReferenceKeyTable
{
    public static IReadOnlyList<string> Read(string table)
    {
        string path = Path.Combine(SharedAssets.RepositoryRoot, "docs", "zoo", "tables", table);
        var rows = File.ReadLines(path).Select(l => Row().Match(l)).Where(m => m.Success)
            .Select(m => $"{m.Groups[1].Value}:{Regex.Replace(m.Groups[2].Value, @"\s", string.Empty)}").ToArray();
        Assert.True(rows.Length > 0, $"{path} has no key rows");
        return rows;
    }

    [GeneratedRegex(@"^\|\s*\d+\s*\|\s*`([^`]+)`\s*\|\s*\[([^\]]*)\]\s*\|")]
    private static partial Regex Row();
}
