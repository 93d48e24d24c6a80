using Nas.Core;
using Nas.Core.Graphs;
using Nas.Core.Tensors;
using Nas.Models;
using Nas.Weights.Checkpoints;

namespace Nas.Weights.Import;

/// <summary>
/// Reads a PyTorch state dict (<c>.pth</c>, legacy or zip, through the safe unpickler) for a network and names its
/// tensors ours: a key is matched to the graph tensor whose external name (the reference implementation's module
/// path, e.g. the official SqueezeNAS layout) or, failing that, own name it equals. The result is checked strictly
/// (missing, unexpected and mis-shaped names listed); with <c>skipClassifiers</c> the class-score layers are left out.
/// </summary>
public static class OfficialWeights
{
    public static Dictionary<string, TensorData> Read(string path, NetworkSpec network, bool skipClassifiers = false) =>
        Read(PyTorchCheckpoint.Load(path), network, skipClassifiers);

    /// <summary>
    /// The class count the file's classifier was trained for: the output channels of the network's first classifier
    /// tensor found in it (null when the file has none of them).
    /// </summary>
    public static int? ClassCount(PyTorchStateDict raw, NetworkSpec network)
    {
        var names = raw.Names.ToHashSet(StringComparer.Ordinal);
        foreach (NamedParameter p in network.Graph.Parameters().Where(p => network.IsClassifierTensor(p.Name) && p.Spec.Role == ParameterRole.Weight))
        {
            string theirs = p.ExternalName ?? p.Name;
            if (names.Contains(theirs))
            {
                return (int)raw[theirs].Shape[0];
            }
        }

        return null;
    }

    public static Dictionary<string, TensorData> Read(PyTorchStateDict raw, NetworkSpec network, bool skipClassifiers = false)
    {
        string path = raw.Path;
        IReadOnlyList<NamedParameter> parameters = network.Graph.Parameters();
        var byExternal = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (NamedParameter p in parameters)
        {
            byExternal[p.ExternalName ?? p.Name] = p.Name;
        }

        var result = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        var unknown = new List<string>();
        foreach (RawTensor t in raw)
        {
            if (byExternal.TryGetValue(t.Name, out string? ours))
            {
                if (!(skipClassifiers && network.IsClassifierTensor(ours)))
                {
                    result[ours] = t.ToTensorData(ours);
                }
            }
            else
            {
                unknown.Add(t.Name);
            }
        }

        if (unknown.Count > 0)
        {
            throw new NasException(
                $"{path}: {unknown.Count} tensors have no counterpart in '{network.Name}' ({StateDictMatch.Summarise(unknown)}); is it the weights of another network?");
        }

        // Files written before PyTorch 0.4.1 (the official ESPNet weights) have no BatchNorm num_batches_tracked.
        // PyTorch's strict load_state_dict accepts them: BatchNorm's _load_from_state_dict fills the missing counter with
        // 0 when the file's metadata predates the counter. We do the same, for that one tensor and only where the file
        // has the BatchNorm's statistics; any other missing tensor is still an error below.
        foreach (NamedParameter p in parameters.Where(p => p.Spec.Role == ParameterRole.BatchCounter && !result.ContainsKey(p.Name)))
        {
            string runningMean = p.Name[..p.Name.LastIndexOf('.')] + ".running_mean";
            if (result.ContainsKey(runningMean))
            {
                result[p.Name] = TensorData.FromInt64s(p.Name, [], [0]);
            }
        }

        StateDictMatch.Check(network.Graph, result, path, skipClassifiers ? network.ClassifierPrefixes : null);
        return result;
    }
}
