namespace Nas.Core.Graphs.Nodes;

/// <summary>Concatenation of two or more values along the channels, in input order.</summary>
[NodeKind("concat")]
public sealed record ConcatNode : Node
{
    public override int InputArity => -1;

    public override int[] OutputChannels(IReadOnlyList<int> inputChannels) => [inputChannels.Sum()];

    public override ValueShape[] InferShapes(IReadOnlyList<ValueShape> inputs)
    {
        for (int i = 1; i < inputs.Count; i++)
        {
            if (inputs[i].Height != inputs[0].Height || inputs[i].Width != inputs[0].Width || inputs[i].Type != inputs[0].Type)
            {
                throw Error($"input {i} is {inputs[i]} but input 0 is {inputs[0]}: the spatial sizes must agree");
            }
        }

        return [inputs[0] with { Channels = inputs.Sum(s => s.Channels) }];
    }

    public override NodeCost Cost(IReadOnlyList<ValueShape> inputs, IReadOnlyList<ValueShape> outputs) => default;
}
