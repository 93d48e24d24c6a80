using Nas.Core;

namespace Nas.Data.Datasets;

/// <summary>Splits ids without an official split: by a list file, or by seeded fractions (train / val / test / all).</summary>
public static class SplitSelector
{
    public static IReadOnlyList<string> Select(IReadOnlyList<string> sortedIds, string split, DatasetOptions options, string datasetName)
    {
        if (options.SplitFile is string file)
        {
            if (!File.Exists(file))
            {
                throw new NasException($"split file not found: '{file}'");
            }

            var known = new HashSet<string>(sortedIds, StringComparer.Ordinal);
            var ids = new List<string>();
            int line = 0;
            foreach (string raw in File.ReadLines(file))
            {
                line++;
                string id = Path.GetFileNameWithoutExtension(raw.Trim());
                if (id.Length == 0 || id.StartsWith('#'))
                {
                    continue;
                }

                if (!known.Contains(id))
                {
                    throw new NasException($"{file}: line {line}: id '{id}' is not in the {datasetName} tree");
                }

                ids.Add(id);
            }

            return ids;
        }

        if (!(options.TrainFraction >= 0) || !(options.ValFraction >= 0) || options.TrainFraction + options.ValFraction > 1.0 + 1e-9)
        {
            throw new NasException($"split fractions must be >= 0 and sum to at most 1 (train {options.TrainFraction}, val {options.ValFraction})");
        }

        string[] shuffled = sortedIds.ToArray();
        new Random(options.SplitSeed).Shuffle(shuffled);
        int nTrain = (int)Math.Round(shuffled.Length * options.TrainFraction);
        int nVal = (int)Math.Round(shuffled.Length * options.ValFraction);
        nVal = Math.Min(nVal, shuffled.Length - nTrain);
        IEnumerable<string> chosen = split switch
        {
            "train" => shuffled.Take(nTrain),
            "val" => shuffled.Skip(nTrain).Take(nVal),
            "test" => shuffled.Skip(nTrain + nVal),
            "all" => shuffled,
            _ => throw new NasException($"unknown split '{split}' for {datasetName}: expected train, val, test or all (or give --split-file)"),
        };
        return chosen.Order(StringComparer.Ordinal).ToArray();
    }
}
