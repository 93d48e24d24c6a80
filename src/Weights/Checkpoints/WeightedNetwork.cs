using Nas.Core;
using Nas.Core.Graphs.Passes;
using Nas.Core.Tensors;
using Nas.Models;
using Nas.Models.Registry;

namespace Nas.Weights.Checkpoints;

/// <summary>
/// A network with values for all its tensors, read without any tensor library: from a Nas checkpoint (checked strictly
/// against the graph) or, for a bare architecture, seeded Kaiming-normal weights (what export and latency work need).
/// </summary>
public sealed record WeightedNetwork(NetworkSpec Spec, IReadOnlyDictionary<string, TensorData> Weights, string? Checkpoint)
{
    /// <summary>
    /// <paramref name="arch"/> and/or <paramref name="checkpoint"/>: with both, the checkpoint must hold that architecture.
    /// </summary>
    public static WeightedNetwork Load(string? arch, string? checkpoint, int seed = 0)
    {
        if (checkpoint is not null)
        {
            CheckpointFile ckpt = CheckpointFile.Load(checkpoint);
            NetworkSpec spec = ckpt.Network();
            if (arch is not null)
            {
                NetworkSpec requested = ModelRegistry.Resolve(arch, ckpt.Metadata.Classes);
                if (requested.Architecture.ToString() != spec.Architecture.ToString())
                {
                    throw new NasException($"{checkpoint}: holds '{spec.Name}' ({spec.Architecture}), not the requested '{arch}'");
                }
            }

            StateDictMatch.Check(spec.Graph, ckpt.ByName, checkpoint);
            return new WeightedNetwork(spec, ckpt.ByName, checkpoint);
        }

        if (arch is null)
        {
            throw new NasException("give an architecture (name, genotype JSON or text, graph JSON) or --checkpoint");
        }

        NetworkSpec fresh = ModelRegistry.Resolve(arch);
        return new WeightedNetwork(fresh, RandomWeights.For(fresh.Graph, seed), null);
    }
}
