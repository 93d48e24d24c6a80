using static TorchSharp.torch;

namespace Nas.Supernet.Graphs;

/// <summary>
/// An empty container module: the intermediate levels of a dotted node name (<c>blocks</c>, <c>3</c>, <c>op</c> of
/// <c>blocks.3.op.expand_conv</c>), so that the state-dict names of a <see cref="GraphModule"/> are the node names.
/// </summary>
internal sealed class ModuleScope(string name) : nn.Module(name)
{
    public Dictionary<string, ModuleScope> Scopes { get; } = new(StringComparer.Ordinal);
}
