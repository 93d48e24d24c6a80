namespace Nas.Core.Graphs;

/// <summary>The JSON form of a <see cref="LayerGraph"/>: <c>{"name", "inputs", "nodes": [{"kind": "conv", ...}], "outputs", "parts"}</c>.</summary>
public sealed record LayerGraphDocument
{
    public required string Name { get; init; }

    public required IReadOnlyList<GraphInput> Inputs { get; init; }

    public required IReadOnlyList<Node> Nodes { get; init; }

    public required IReadOnlyList<GraphOutput> Outputs { get; init; }

    public IReadOnlyList<GraphPart>? Parts { get; init; }
}
