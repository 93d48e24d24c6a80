namespace Nas.Core.Graphs;

/// <summary>The JSON <c>kind</c> of a node type (<c>conv</c>, <c>batch-norm</c>, ...); every concrete node type has one.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class NodeKindAttribute(string kind) : Attribute
{
    public string Kind { get; } = kind;
}
