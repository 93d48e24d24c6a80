using Nas.Onnx.Protos;

namespace Nas.Deploy.Graphs;

/// <summary>Who produces and who consumes each tensor of a graph, its initializers, inputs and outputs.</summary>
internal sealed class GraphIndex
{
    public GraphIndex(GraphProto graph)
    {
        Graph = graph;
        Initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        Inputs = graph.Input.Select(i => i.Name).Where(n => !Initializers.ContainsKey(n)).ToHashSet(StringComparer.Ordinal);
        Outputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (NodeProto node in graph.Node)
        {
            foreach (string o in node.Output)
            {
                Producer[o] = node;
            }

            foreach (string i in node.Input.Where(i => i.Length > 0))
            {
                if (!Consumers.TryGetValue(i, out List<NodeProto>? list))
                {
                    Consumers[i] = list = [];
                }

                list.Add(node);
            }
        }
    }

    public GraphProto Graph { get; }

    public Dictionary<string, TensorProto> Initializers { get; }

    public HashSet<string> Inputs { get; }

    public HashSet<string> Outputs { get; }

    public Dictionary<string, NodeProto> Producer { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, List<NodeProto>> Consumers { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<NodeProto> ConsumersOf(string tensor) => Consumers.TryGetValue(tensor, out List<NodeProto>? list) ? list : [];

    public static long? IntAttribute(NodeProto node, string name) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is AttributeProto a ? a.I : null;
}
