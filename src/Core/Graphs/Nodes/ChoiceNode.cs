
namespace Nas.Core.Graphs.Nodes;

/// <summary>
/// A searchable position of a supernet (NNI's LayerChoice): one input, one output, and candidate sub-graphs with one
/// input and one output each (the candidate graph's <see cref="LayerGraph.Name"/> is its op label, e.g. <c>k3_e6_g1</c>).
/// Every candidate must map the input to the same output shape. Owns the architecture logits <c>arch_logits</c>.
/// In the supernet candidate k's tensors are <c>{Name}.candidates.{k}.{inner}</c>; a derived network inlines the chosen
/// candidate with node names <c>{InlineScope}.{inner}</c> (and external names under <see cref="ExternalScope"/>).
/// </summary>
[NodeKind("choice")]
public sealed record ChoiceNode : Node
{
    public required IReadOnlyList<LayerGraph> Candidates { get; init; }

    /// <summary>Name prefix of the chosen candidate's nodes when the choice is inlined (<c>blocks.3.op</c>).</summary>
    public required string InlineScope { get; init; }

    /// <summary>External-name prefix of the inlined candidate (<c>encoder.residuals.3</c>), or null.</summary>
    public string? ExternalScope { get; init; }

    /// <summary>Stride of the position (part of lookup-table keys).</summary>
    public int Stride { get; init; } = 1;

    /// <summary>The searchable position index (genotype index).</summary>
    public int? Position { get; init; }

    public override IReadOnlyList<ParameterSpec> Parameters => [new("arch_logits", [Candidates.Count], ParameterRole.ArchLogits)];

    public IReadOnlyList<string> Labels => Candidates.Select(c => c.Name).ToArray();

    public int IndexOf(string label)
    {
        for (int i = 0; i < Candidates.Count; i++)
        {
            if (Candidates[i].Name == label)
            {
                return i;
            }
        }

        return -1;
    }

    public override int[] OutputChannels(IReadOnlyList<int> inputChannels)
    {
        if (Candidates.Count == 0)
        {
            throw Error("has no candidates");
        }

        int? channels = null;
        foreach (LayerGraph candidate in Candidates)
        {
            if (candidate.Inputs.Count != 1 || candidate.Outputs.Count != 1)
            {
                throw Error($"candidate '{candidate.Name}' must have one input and one output");
            }

            if (candidate.Inputs[0].Channels != inputChannels[0])
            {
                throw Error($"candidate '{candidate.Name}' takes {candidate.Inputs[0].Channels} channels, the choice gets {inputChannels[0]}");
            }

            int c = candidate.ChannelsOf(candidate.Outputs[0].Value);
            if (channels is int previous && previous != c)
            {
                throw Error($"candidate '{candidate.Name}' outputs {c} channels, others {previous}");
            }

            channels = c;
        }

        return [channels!.Value];
    }

    public override ValueShape[] InferShapes(IReadOnlyList<ValueShape> inputs)
    {
        ValueShape? result = null;
        foreach (LayerGraph candidate in Candidates)
        {
            ValueShape y = candidate.InferShapes([inputs[0]]).Of(candidate.Outputs[0].Value);
            if (result is ValueShape previous && previous != y)
            {
                throw Error($"candidate '{candidate.Name}' outputs {y}, others {previous}");
            }

            result = y;
        }

        return [result!.Value];
    }

    /// <summary>Choices are costed per candidate (<see cref="GraphCost"/>); the node itself costs nothing.</summary>
    public override NodeCost Cost(IReadOnlyList<ValueShape> inputs, IReadOnlyList<ValueShape> outputs) => default;
}
