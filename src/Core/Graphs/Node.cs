
namespace Nas.Core.Graphs;

/// <summary>
/// One layer of a <see cref="LayerGraph"/>. <see cref="Name"/> is the module path (<c>blocks.3.op.expand_conv</c>);
/// the node's tensors are named <c>{Name}.{parameter}</c>, which makes them the state-dict keys. A node's first
/// output value is named <see cref="Name"/>, further outputs <c>{Name}:1</c>, ... Node kinds are the concrete records
/// in <c>Nas.Core.Graphs.Nodes</c>, each tagged with <see cref="NodeKindAttribute"/> (its JSON <c>kind</c>).
/// </summary>
public abstract record Node
{
    /// <summary>Unique module path; also the name of the first output value.</summary>
    public required string Name { get; init; }

    /// <summary>The values this node reads, in order (graph input names or node output values).</summary>
    public required IReadOnlyList<string> Inputs { get; init; }

    /// <summary>
    /// The module path of this layer in the reference PyTorch implementation, where it differs from <see cref="Name"/>
    /// (e.g. the official SqueezeNAS layout); tensors are then also known as <c>{ExternalName}.{parameter}</c>.
    /// </summary>
    public string? ExternalName { get; init; }

    /// <summary>The JSON <c>kind</c> of this node type.</summary>
    public string Kind => NodeKinds.KindOf(GetType());

    public virtual int OutputCount => 1;

    /// <summary>How many inputs the node takes: a fixed count, or -1 for two or more.</summary>
    public virtual int InputArity => 1;

    /// <summary>The tensors this node owns (weights, BatchNorm statistics, ...), in state-dict order.</summary>
    public virtual IReadOnlyList<ParameterSpec> Parameters => [];

    /// <summary>Element type of output <paramref name="index"/> (float32 except max-pooling indices).</summary>
    public virtual ElementType OutputType(int index) => ElementType.Float32;

    /// <summary>Name of output value <paramref name="index"/>.</summary>
    public string Output(int index = 0) => index == 0 ? Name : $"{Name}:{index}";

    /// <summary>Output channels from input channels (independent of the spatial size); errors name the node.</summary>
    public abstract int[] OutputChannels(IReadOnlyList<int> inputChannels);

    /// <summary>Output shapes for concrete input shapes; errors name the node and the shapes.</summary>
    public abstract ValueShape[] InferShapes(IReadOnlyList<ValueShape> inputs);

    /// <summary>Cost for one image at the given shapes.</summary>
    public abstract NodeCost Cost(IReadOnlyList<ValueShape> inputs, IReadOnlyList<ValueShape> outputs);

    /// <summary>A copy of this node with another name and inputs (used when sub-graphs are inlined or extracted).</summary>
    public virtual Node Rebind(string name, IReadOnlyList<string> inputs, string? externalName) =>
        this with { Name = name, Inputs = inputs, ExternalName = externalName };

    /// <summary>An error about this node, e.g. <c>node 'head.sum' (add): input shapes differ: 19x64x128 vs 19x63x128</c>.</summary>
    public NasException Error(string message) => new($"node '{Name}' ({Kind}): {message}");

    protected void ExpectChannels(IReadOnlyList<int> inputChannels, int index, int expected, string what)
    {
        if (inputChannels[index] != expected)
        {
            throw Error($"{what} expects {expected} input channels, got {inputChannels[index]}");
        }
    }

    protected static int[] Same(IReadOnlyList<int> inputChannels) => [inputChannels[0]];
}
