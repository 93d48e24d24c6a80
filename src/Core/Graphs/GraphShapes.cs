namespace Nas.Core.Graphs;

/// <summary>The inferred shape of every value of a graph for one set of input shapes.</summary>
public sealed class GraphShapes(LayerGraph graph, IReadOnlyDictionary<string, ValueShape> shapes)
{
    public LayerGraph Graph { get; } = graph;

    public IReadOnlyDictionary<string, ValueShape> Values { get; } = shapes;

    public ValueShape Of(string value) =>
        Values.TryGetValue(value, out ValueShape s) ? s : throw new KeyNotFoundException($"graph '{Graph.Name}' has no value '{value}'");

    public IReadOnlyList<ValueShape> InputsOf(Node node) => node.Inputs.Select(Of).ToArray();

    public IReadOnlyList<ValueShape> OutputsOf(Node node) => Enumerable.Range(0, node.OutputCount).Select(i => Of(node.Output(i))).ToArray();

    public ValueShape Main => Of(Graph.MainOutput.Value);
}
