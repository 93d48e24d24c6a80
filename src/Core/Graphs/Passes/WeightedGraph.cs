using Nas.Core.Tensors;

namespace Nas.Core.Graphs.Passes;

/// <summary>A graph with a value for each of its tensors (by full name), as graph passes and exporters take it.</summary>
public sealed record WeightedGraph(LayerGraph Graph, IReadOnlyDictionary<string, TensorData> Weights)
{
    /// <summary>The float32 values of a node's tensor.</summary>
    public float[] Floats(Node node, string tensor) =>
        Weights.TryGetValue($"{node.Name}.{tensor}", out TensorData? t)
            ? t.ToFloatArray()
            : throw new NasException($"graph '{Graph.Name}': no value for tensor '{node.Name}.{tensor}'");
}
