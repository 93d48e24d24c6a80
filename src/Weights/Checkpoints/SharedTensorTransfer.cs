using Nas.Core;
using Nas.Core.Graphs;
using Nas.Core.Tensors;
using Nas.Models;
using Nas.Models.Registry;
using Nas.Weights.Import;

namespace Nas.Weights.Checkpoints;

/// <summary>
/// Initialising a network from the weights of another architecture that shares layers with it: the other stage of the
/// two-stage recipe (an encoder-stage checkpoint for the full network, or the reverse). The tensors both networks
/// have, by name and with equal shapes, are loaded; the rest must be the other network's own layers: every encoder
/// tensor (<see cref="NetworkSpec.EncoderPrefixes"/>) of both networks must be shared, and a tensor both have with
/// different shapes is an error, except class-score tensors when the class counts differ (re-initialised). Nothing
/// in common is a one-line error.
/// </summary>
/// <param name="Tensors">What to load (named ours).</param>
/// <param name="Fresh">The target's layers (node names) that keep their fresh initialisation.</param>
/// <param name="Unused">The source's layers (node names) that have no counterpart.</param>
public sealed record SharedTensorTransfer(IReadOnlyDictionary<string, TensorData> Tensors, IReadOnlyList<string> Fresh, IReadOnlyList<string> Unused)
{
    public static SharedTensorTransfer Plan(NetworkSpec target, NetworkSpec source, IReadOnlyDictionary<string, TensorData> tensors, string sourceName)
    {
        var load = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        var fresh = new List<NamedParameter>();
        var misShaped = new List<string>();
        foreach (NamedParameter p in target.Graph.Parameters())
        {
            if (!tensors.TryGetValue(p.Name, out TensorData? t))
            {
                fresh.Add(p);
            }
            else if (t.SameShape(p.Spec.Shape))
            {
                load[p.Name] = t;
            }
            else if (target.IsClassifierTensor(p.Name) && source.Classes != target.Classes)
            {
                fresh.Add(p);
            }
            else
            {
                misShaped.Add($"{p.Name} (expected [{string.Join(",", p.Spec.Shape)}], got [{string.Join(",", t.Shape)}])");
            }
        }

        string what = $"{sourceName} ('{source.Name}', {source.Architecture})";
        if (load.Count == 0)
        {
            throw new NasException($"{what}: no tensor has a name and shape of '{target.Name}' ({target.Architecture}); nothing to initialise it with");
        }

        if (misShaped.Count > 0)
        {
            throw new NasException($"{what}: tensors both networks have differ in shape: {StateDictMatch.Summarise(misShaped)}");
        }

        var missingEncoder = fresh.Where(p => target.IsEncoderTensor(p.Name)).Select(p => p.Name).ToList();
        if (missingEncoder.Count > 0)
        {
            throw new NasException($"{what}: does not hold the encoder of '{target.Name}' ({target.Architecture}): missing {missingEncoder.Count}: {StateDictMatch.Summarise(missingEncoder)}");
        }

        var sourceParameters = source.Graph.Parameters();
        var unusedEncoder = sourceParameters.Where(p => source.IsEncoderTensor(p.Name) && !load.ContainsKey(p.Name)).Select(p => p.Name).ToList();
        if (unusedEncoder.Count > 0)
        {
            throw new NasException($"{what}: its encoder tensors have no counterpart in '{target.Name}' ({target.Architecture}): {StateDictMatch.Summarise(unusedEncoder)}");
        }

        return new SharedTensorTransfer(
            load,
            fresh.Select(p => p.Node.Name).Distinct().ToArray(),
            sourceParameters.Where(p => !load.ContainsKey(p.Name)).Select(p => p.Node.Name).Distinct().ToArray());
    }

    /// <summary>
    /// Official weights of the encoder stage of <paramref name="target"/> (e.g. ESPNet-C's file for ESPNet): when the
    /// target is a registered model with a <c>stage</c> option and every tensor of the file belongs to its encoder
    /// stage, the plan for loading them; otherwise null.
    /// </summary>
    public static SharedTensorTransfer? FromEncoderStageFile(PyTorchStateDict raw, NetworkSpec target)
    {
        if (target.Architecture.Model is not string model || ModelRegistry.TryGet(model) is not ModelEntry entry
            || !entry.Options.Any(o => o.StartsWith("stage=", StringComparison.Ordinal))
            || target.Architecture.Options?.GetValueOrDefault("stage") is "encoder")
        {
            return null;
        }

        var options = new Dictionary<string, string>(target.Architecture.Options ?? new Dictionary<string, string>(), StringComparer.Ordinal) { ["stage"] = "encoder" };
        NetworkSpec probe = ModelRegistry.Build(entry, target.Classes, options);
        var known = probe.Graph.Parameters().Select(p => p.ExternalName ?? p.Name).ToHashSet(StringComparer.Ordinal);
        if (!raw.Names.All(known.Contains))
        {
            return null;
        }

        int classes = OfficialWeights.ClassCount(raw, probe) ?? target.Classes;
        NetworkSpec stage = classes == probe.Classes ? probe : ModelRegistry.Build(entry, classes, options);
        return Plan(target, stage, OfficialWeights.Read(raw, stage), raw.Path);
    }
}
