namespace Nas.Core.Graphs;

/// <summary>
/// A named part of a network (stem, one searchable block, last conv, head; or a stage of a zoo network): the nodes
/// whose names are <see cref="Name"/> or start with <c>{Name}.</c>, or, when <see cref="Members"/> is given, exactly
/// the nodes listed there (for networks whose node names carry no hierarchy, such as sanitised Caffe layer names).
/// Parts are the rows of <c>nas arch show</c> and the entries of lookup tables: <see cref="Label"/> and the shapes of
/// <see cref="Inputs"/>/<see cref="Outputs"/> make the table key. <see cref="Position"/> is the searchable position a
/// block part came from.
/// </summary>
public sealed record GraphPart(string Name, string Label, int Stride, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, int? Position = null, IReadOnlyList<string>? Members = null)
{
    public bool Contains(string nodeName) =>
        Members is not null
            ? Members.Contains(nodeName, StringComparer.Ordinal)
            : nodeName == Name || (nodeName.Length > Name.Length && nodeName[Name.Length] == '.' && nodeName.StartsWith(Name, StringComparison.Ordinal));
}
