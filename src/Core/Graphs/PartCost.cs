namespace Nas.Core.Graphs;

/// <summary>What one part of a network costs at one input size (a row of <c>nas arch show</c>).</summary>
public sealed record PartCost(
    string Name,
    string Label,
    int? Position,
    int Stride,
    IReadOnlyList<ValueShape> Inputs,
    IReadOnlyList<ValueShape> Outputs,
    long Macs,
    long Flops,
    long Params);
