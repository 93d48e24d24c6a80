using Nas.Core;
using Nas.Core.Tensors;
using Nas.Training.Tensors;
using Nas.Weights.Checkpoints;
using static TorchSharp.torch;

namespace Nas.Supernet.Checkpoints;

/// <summary>
/// Copies stored tensors into a module. Strict by default: any missing, unexpected or mis-shaped key is an error
/// that lists all of them. Keys under <c>skipPrefixes</c> (e.g. the classifiers when the class count changes) are
/// left as initialised and reported.
/// </summary>
public static class StateDictLoader
{
    public static StateDictLoadReport Load(
        nn.Module module,
        IReadOnlyDictionary<string, TensorData> source,
        string sourceName,
        bool strict = true,
        IReadOnlyCollection<string>? skipPrefixes = null)
    {
        skipPrefixes ??= [];
        bool Skip(string key) => skipPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal));

        var target = module.state_dict();
        var missing = new List<string>();
        var misShaped = new List<string>();
        var skipped = new List<string>();
        foreach ((string key, Tensor value) in target)
        {
            if (Skip(key))
            {
                skipped.Add(key);
                continue;
            }

            if (!source.TryGetValue(key, out TensorData? src))
            {
                missing.Add(key);
            }
            else if (!src.SameShape(value.shape))
            {
                misShaped.Add($"{key} (expected [{string.Join(",", value.shape)}], got [{string.Join(",", src.Shape)}])");
            }
        }

        var unexpected = source.Keys.Where(k => !target.ContainsKey(k) && !Skip(k)).ToList();
        if (misShaped.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
        {
            var parts = new List<string>();
            if (missing.Count > 0)
            {
                parts.Add($"missing {missing.Count}: {StateDictMatch.Summarise(missing, 12)}");
            }

            if (unexpected.Count > 0)
            {
                parts.Add($"unexpected {unexpected.Count}: {StateDictMatch.Summarise(unexpected, 12)}");
            }

            if (misShaped.Count > 0)
            {
                parts.Add($"mis-shaped {misShaped.Count}: {StateDictMatch.Summarise(misShaped, 12)}");
            }

            throw new NasException($"{sourceName}: does not fit this network: {string.Join("; ", parts)}");
        }

        int loaded = 0;
        using (no_grad())
        {
            foreach ((string key, Tensor value) in target)
            {
                if (Skip(key) || !source.TryGetValue(key, out TensorData? src))
                {
                    continue;
                }

                using Tensor stored = TorchTensors.ToTensor(src);
                using Tensor converted = stored.to(value.dtype, value.device);
                value.copy_(converted);
                loaded++;
            }
        }

        return new StateDictLoadReport(loaded, skipped, unexpected);
    }
}
