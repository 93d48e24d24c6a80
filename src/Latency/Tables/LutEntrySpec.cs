using Nas.Core.Graphs;

namespace Nas.Latency.Tables;

/// <summary>
/// One entry a table needs: a (position, candidate) block or a fixed part of the network, with its shapes, canonical
/// key and the sub-graph that is measured (a candidate graph, or the part extracted from the supernet graph).
/// </summary>
/// <param name="PartName"><c>block</c> for searchable positions, else the part's name (<c>stem</c>, <c>last_conv</c>, <c>head</c>).</param>
/// <param name="Position">The searchable position of a block entry.</param>
/// <param name="OpName">The candidate op of a block entry, else the part's name.</param>
public sealed record LutEntrySpec(string PartName, int? Position, string OpName, IReadOnlyList<ValueShape> InShapes, ValueShape OutShape, int Stride, string Key, LayerGraph SubGraph)
{
    public bool IsBlock => Position is not null;

    public int[] InShape => InShapes[0].ToArray();

    public int[] OutShapeArray => OutShape.ToArray();
}
