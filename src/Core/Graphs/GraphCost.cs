using Nas.Core.Graphs.Nodes;

namespace Nas.Core.Graphs;

/// <summary>
/// MACs (SqueezeNAS convention: convolutions only, batch 1), total FLOPs and parameters of a graph at one input size,
/// by walking its nodes — per node, per part (nodes outside every part form an "other" row when they cost anything)
/// and in total. A supernet's choices are costed per candidate with <see cref="Candidate"/>.
/// </summary>
public sealed class GraphCost
{
    private GraphCost(GraphShapes shapes, IReadOnlyDictionary<string, NodeCost> byNode, IReadOnlyList<PartCost> parts)
    {
        Shapes = shapes;
        ByNode = byNode;
        Parts = parts;
        Macs = byNode.Values.Sum(c => c.Macs);
        Flops = byNode.Values.Sum(c => c.Flops);
        Params = shapes.Graph.ParameterCount();
    }

    public GraphShapes Shapes { get; }

    public IReadOnlyDictionary<string, NodeCost> ByNode { get; }

    public IReadOnlyList<PartCost> Parts { get; }

    public long Macs { get; }

    public long Flops { get; }

    public long Params { get; }

    public static GraphCost Compute(LayerGraph graph, int height, int width) => Compute(graph.InferShapes(height, width));

    public static GraphCost Compute(GraphShapes shapes)
    {
        LayerGraph graph = shapes.Graph;
        var byNode = new Dictionary<string, NodeCost>(StringComparer.Ordinal);
        foreach (Node node in graph.Nodes)
        {
            try
            {
                byNode[node.Name] = node.Cost(shapes.InputsOf(node), shapes.OutputsOf(node));
            }
            catch (OverflowException)
            {
                throw node.Error("the cost overflows 64 bits at this input size");
            }
        }

        var parts = new List<PartCost>();
        var covered = new HashSet<string>(StringComparer.Ordinal);
        foreach (GraphPart part in graph.Parts)
        {
            Node[] members = graph.Nodes.Where(n => part.Contains(n.Name)).ToArray();
            covered.UnionWith(members.Select(n => n.Name));
            parts.Add(new PartCost(part.Name, part.Label, part.Position, part.Stride,
                part.Inputs.Select(shapes.Of).ToArray(), part.Outputs.Select(shapes.Of).ToArray(),
                members.Sum(n => byNode[n.Name].Macs), members.Sum(n => byNode[n.Name].Flops), TrainableParams(members)));
        }

        Node[] rest = graph.Nodes.Where(n => !covered.Contains(n.Name)).ToArray();
        long restParams = TrainableParams(rest);
        if (graph.Parts.Count > 0 && (rest.Any(n => byNode[n.Name] != default) || restParams > 0))
        {
            parts.Add(new PartCost("other", "other", null, 1, [], [], rest.Sum(n => byNode[n.Name].Macs), rest.Sum(n => byNode[n.Name].Flops), restParams));
        }

        return new GraphCost(shapes, byNode, parts);
    }

    /// <summary>Cost of candidate <paramref name="index"/> of a choice whose input has <paramref name="input"/>.</summary>
    public static GraphCost Candidate(ChoiceNode choice, int index, ValueShape input) =>
        Compute(choice.Candidates[index].InferShapes([input]));

    private static long TrainableParams(IEnumerable<Node> nodes) =>
        nodes.Where(n => n is not ChoiceNode).SelectMany(n => n.Parameters).Where(p => p.IsTrainable).Sum(p => p.Elements);
}
