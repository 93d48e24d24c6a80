using Nas.Core;
using Nas.Core.Graphs;
using Nas.Core.Tensors;

namespace Nas.Weights.Checkpoints;

/// <summary>
/// Checks a set of tensors against a graph's tensors by name and shape, without loading anything: every missing,
/// unexpected or mis-shaped name is listed in one error. Names under <c>skipPrefixes</c> (classifiers being
/// re-initialised) are ignored on both sides.
/// </summary>
public static class StateDictMatch
{
    public static void Check(LayerGraph graph, IReadOnlyDictionary<string, TensorData> tensors, string source, IReadOnlyCollection<string>? skipPrefixes = null)
    {
        skipPrefixes ??= [];
        bool Skip(string key) => skipPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal));
        var expected = graph.Parameters().Where(p => !Skip(p.Name)).ToDictionary(p => p.Name, StringComparer.Ordinal);
        var missing = expected.Keys.Where(k => !tensors.ContainsKey(k)).ToList();
        var unexpected = tensors.Keys.Where(k => !expected.ContainsKey(k) && !Skip(k)).ToList();
        var misShaped = expected.Values
            .Where(p => tensors.TryGetValue(p.Name, out TensorData? t) && !t.SameShape(p.Spec.Shape))
            .Select(p => $"{p.Name} (expected [{string.Join(",", p.Spec.Shape)}], got [{string.Join(",", tensors[p.Name].Shape)}])")
            .ToList();
        if (missing.Count == 0 && unexpected.Count == 0 && misShaped.Count == 0)
        {
            return;
        }

        var parts = new List<string>();
        if (missing.Count > 0)
        {
            parts.Add($"missing {missing.Count}: {Summarise(missing)}");
        }

        if (unexpected.Count > 0)
        {
            parts.Add($"unexpected {unexpected.Count}: {Summarise(unexpected)}");
        }

        if (misShaped.Count > 0)
        {
            parts.Add($"mis-shaped {misShaped.Count}: {Summarise(misShaped)}");
        }

        throw new NasException($"{source}: does not fit '{graph.Name}': {string.Join("; ", parts)}");
    }

    public static string Summarise(IReadOnlyList<string> keys, int max = 8) =>
        keys.Count <= max ? string.Join(", ", keys) : string.Join(", ", keys.Take(max)) + $", ... ({keys.Count - max} more)";
}
