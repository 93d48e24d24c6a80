using System.Text.RegularExpressions;
using Nas.Core;

namespace Nas.Data.Metrics;

/// <summary>
/// Matches prediction PNGs to Cityscapes ground truth the way the official evaluation does: a prediction belongs to
/// the frame whose <c>{city}_{seq}_{frame}</c> prefix appears anywhere in its file name.
/// </summary>
public static partial class CityscapesPredictionMatcher
{
    /// <summary>Frame key → prediction file; every ground-truth frame needs exactly one prediction.</summary>
    public static IReadOnlyDictionary<string, string> Match(string predictionDir, IReadOnlyCollection<string> frameKeys)
    {
        if (!Directory.Exists(predictionDir))
        {
            throw new NasException($"predictions folder not found: '{predictionDir}'");
        }

        var byKey = new Dictionary<string, string>(StringComparer.Ordinal);
        ILookup<string, string> bySequenceFrame = frameKeys.ToLookup(k => k[^13..], StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(predictionDir, "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(file);
            foreach (Match m in SequenceFrame().Matches(name))
            {
                foreach (string key in bySequenceFrame[m.Value].Where(k => name.Contains(k, StringComparison.Ordinal)))
                {
                    if (byKey.TryGetValue(key, out string? existing))
                    {
                        throw new NasException($"two predictions for frame {key}: '{existing}' and '{file}'");
                    }

                    byKey[key] = file;
                }
            }
        }

        string? missing = frameKeys.FirstOrDefault(k => !byKey.ContainsKey(k));
        if (missing is not null)
        {
            throw new NasException($"no prediction for frame {missing} in '{predictionDir}' ({frameKeys.Count - byKey.Count} of {frameKeys.Count} frames missing)");
        }

        return byKey;
    }

    /// <summary>The frame key of a Cityscapes file name (<c>aachen_000000_000019</c>), or null.</summary>
    public static string? KeyOf(string fileName)
    {
        Match m = FrameKey().Match(Path.GetFileName(fileName));
        return m.Success ? m.Value : null;
    }

    [GeneratedRegex(@"[a-z][a-z_-]*_\d{6}_\d{6}", RegexOptions.CultureInvariant)]
    private static partial Regex FrameKey();

    [GeneratedRegex(@"\d{6}_\d{6}", RegexOptions.CultureInvariant)]
    private static partial Regex SequenceFrame();
}
