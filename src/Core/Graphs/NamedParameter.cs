namespace Nas.Core.Graphs;

/// <summary>A tensor of a graph under its full state-dict name, with the node that owns it and its external (reference) name.</summary>
public sealed record NamedParameter(string Name, ParameterSpec Spec, Node Node, string? ExternalName);
