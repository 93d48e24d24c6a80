namespace Nas.Core.Graphs;

/// <summary>A graph input: its value name and channel count (the spatial size is given when shapes are inferred).</summary>
public sealed record GraphInput(string Name, int Channels, ElementType Type = ElementType.Float32);
