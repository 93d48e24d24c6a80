using System.Globalization;

namespace Nas.TestSupport;

/// <summary>
/// The ordered reference key lists of the zoo networks, <c>docs/zoo/tables/{network}.keys.md</c> (generated from the
/// public definitions by docs/zoo/scripts): one row per state-dict tensor with its name, shape and kind
/// (<c>param</c>, <c>buffer</c>, or a buffer with a note such as <c>buffer (fixed: lr_mult 0)</c>).
/// </summary>
public static class ZooKeyTable
{
    public sealed record Row(string Key, long[] Shape, string Kind)
    {
        public bool IsParameter => Kind == "param";
    }

    public static string PathOf(string network) => Path.Combine(SharedAssets.RepositoryRoot, "docs", "zoo", "tables", network + ".keys.md");

    public static IReadOnlyList<Row> Read(string network)
    {
        var rows = new List<Row>();
        foreach (string line in File.ReadLines(PathOf(network)))
        {
            // | 0 | conv1/7x7_s2 [0] | `conv1_7x7_s2.weight` | [64, 3, 7, 7] | param |
            string[] cells = line.Split('|', StringSplitOptions.TrimEntries);
            if (cells.Length < 6 || !cells[3].StartsWith('`'))
            {
                continue;
            }

            long[] shape = cells[4].Trim('[', ']').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(d => long.Parse(d, CultureInfo.InvariantCulture)).ToArray();
            rows.Add(new Row(cells[3].Trim('`'), shape, cells[5]));
        }

        return rows;
    }
}
