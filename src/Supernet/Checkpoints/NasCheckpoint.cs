using Nas.Core;
using Nas.Models;
using Nas.Supernet.Networks;
using Nas.Training.Tensors;
using Nas.Weights.Checkpoints;
using static TorchSharp.torch;

namespace Nas.Supernet.Checkpoints;

/// <summary>
/// TorchSharp side of Nas checkpoint files (<see cref="CheckpointFile"/>): saving a module's state with its metadata,
/// and building the network or supernet a checkpoint holds with its weights loaded strictly.
/// </summary>
public static class NasCheckpoint
{
    public static CheckpointMetadata MetadataFor(NetworkModule network, string? source = null, int epoch = 0) =>
        CheckpointFile.NetworkMetadata(network.Spec, source, epoch);

    public static CheckpointMetadata MetadataFor(SqueezeNasSupernet supernet, string? source = null, int epoch = 0) =>
        CheckpointFile.SupernetMetadata(supernet.Space, supernet.Classes, source, epoch);

    /// <summary>Writes a checkpoint atomically.</summary>
    public static void Save(string path, nn.Module module, CheckpointMetadata metadata, IReadOnlyDictionary<string, byte[]>? extras = null) =>
        CheckpointFile.Save(path, metadata, TorchTensors.StateOf(module), extras);

    /// <summary>Builds the checkpoint's network and loads its weights (strict).</summary>
    public static NetworkModule CreateNetwork(this CheckpointFile checkpoint)
    {
        NetworkSpec spec = checkpoint.Network();
        var network = new NetworkModule(spec, initialize: false);
        try
        {
            StateDictLoader.Load(network, checkpoint.ByName, checkpoint.Path);
        }
        catch
        {
            network.Dispose();
            throw;
        }

        return network;
    }

    /// <summary>Builds the checkpoint's supernet and loads its weights (strict).</summary>
    public static SqueezeNasSupernet CreateSupernet(this CheckpointFile checkpoint)
    {
        var supernet = new SqueezeNasSupernet(checkpoint.Space(), checkpoint.Metadata.Classes, initialize: false);
        try
        {
            StateDictLoader.Load(supernet, checkpoint.ByName, checkpoint.Path);
        }
        catch
        {
            supernet.Dispose();
            throw;
        }

        return supernet;
    }

    /// <summary>Loads the weights into an existing network, checking that the architecture matches.</summary>
    public static StateDictLoadReport LoadInto(this CheckpointFile checkpoint, NetworkModule network, IReadOnlyCollection<string>? skipPrefixes = null)
    {
        NetworkSpec saved = checkpoint.Network();
        if (!SameArchitecture(saved, network.Spec))
        {
            throw new NasException($"{checkpoint.Path}: the checkpoint holds '{saved.Name}' ({saved.Architecture}), not '{network.Spec.Name}' ({network.Spec.Architecture})");
        }

        return StateDictLoader.Load(network, checkpoint.ByName, checkpoint.Path, strict: true, skipPrefixes);
    }

    /// <summary>Two specs are the same architecture when their graphs have the same tensors (names and shapes), classifiers aside.</summary>
    public static bool SameArchitecture(NetworkSpec a, NetworkSpec b)
    {
        if (a.Genotype is not null && b.Genotype is not null)
        {
            return a.Genotype.Genotype.Equals(b.Genotype.Genotype);
        }

        var left = a.Graph.Parameters().Where(p => !a.IsClassifierTensor(p.Name)).Select(p => $"{p.Name}:{string.Join("x", p.Spec.Shape)}");
        var right = b.Graph.Parameters().Where(p => !b.IsClassifierTensor(p.Name)).Select(p => $"{p.Name}:{string.Join("x", p.Spec.Shape)}");
        return left.SequenceEqual(right);
    }
}
