using Nas.Core.Graphs;
using Nas.Core.Graphs.Nodes;
using Nas.Core.SearchSpaces;
using Nas.Models.SqueezeNas;

namespace Nas.Latency.Tables;

/// <summary>
/// Every entry a table of a space at an input size needs, read off the supernet's layer graph in node order: each fixed
/// part (stem, last conv, head) as the sub-graph extracted from the supernet, and every candidate of every choice.
/// </summary>
public static class LookupTableLayout
{
    public static IReadOnlyList<LutEntrySpec> For(SearchSpace space, InputSize input, int classes) =>
        For(SqueezeNasGraphs.Supernet(space, classes), input);

    public static IReadOnlyList<LutEntrySpec> For(LayerGraph supernet, InputSize input)
    {
        GraphShapes shapes = supernet.InferShapes(input.Height, input.Width);
        var entries = new List<LutEntrySpec>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        foreach (Node node in supernet.Nodes)
        {
            if (node is ChoiceNode choice)
            {
                ValueShape inShape = shapes.Of(choice.Inputs[0]);
                ValueShape outShape = shapes.Of(choice.Output());
                foreach (LayerGraph candidate in choice.Candidates)
                {
                    entries.Add(new LutEntrySpec("block", choice.Position, candidate.Name, [inShape], outShape, choice.Stride,
                        LutKeys.For(candidate.Name, [inShape], outShape, choice.Stride), candidate));
                }

                continue;
            }

            if (supernet.PartOf(node.Name) is GraphPart part && placed.Add(part.Name))
            {
                ValueShape[] ins = part.Inputs.Select(shapes.Of).ToArray();
                ValueShape outShape = shapes.Of(part.Outputs[0]);
                string[] inputNames = ins.Length == 1 ? ["input"] : ins.Select((_, i) => $"input{i}").ToArray();
                entries.Add(new LutEntrySpec(part.Name, null, part.Name, ins, outShape, part.Stride,
                    LutKeys.For(part.Label, ins, outShape, part.Stride), supernet.Extract(part, inputNames)));
            }
        }

        return entries;
    }
}
