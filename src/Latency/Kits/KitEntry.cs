namespace Nas.Latency.Kits;

/// <summary>One model of a device kit: a lookup-table entry and the ONNX file that measures it.</summary>
public sealed record KitEntry(string Key, string Part, IReadOnlyList<int> Positions, string Op, string InShape, string OutShape, int Stride, string File);
