namespace Nas.Core.Graphs;

/// <summary>A graph output: its external name (<c>logits</c>, <c>aux</c>), the value it returns, its role and training-loss weight.</summary>
public sealed record GraphOutput(string Name, string Value, OutputRole Role = OutputRole.Main, double LossWeight = 1.0);
