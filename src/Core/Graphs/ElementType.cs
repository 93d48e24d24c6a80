namespace Nas.Core.Graphs;

/// <summary>Element type of a value in a layer graph.</summary>
public enum ElementType
{
    Float32,

    /// <summary>Integer indices (max pooling with indices).</summary>
    Int64,
}
