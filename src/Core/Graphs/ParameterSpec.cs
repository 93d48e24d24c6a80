namespace Nas.Core.Graphs;

/// <summary>
/// A tensor a node owns: its name relative to the node (<c>weight</c>, <c>running_mean</c>), shape, role and element
/// type. The full state-dict name is <c>{node name}.{Name}</c>.
/// </summary>
public sealed record ParameterSpec(string Name, int[] Shape, ParameterRole Role, ElementType Type = ElementType.Float32)
{
    /// <summary>Trainable parameters (what PyTorch's <c>parameters()</c> returns); the rest are buffers.</summary>
    public bool IsTrainable => Role is not (ParameterRole.RunningMean or ParameterRole.RunningVar or ParameterRole.BatchCounter);

    public long Elements => Shape.Aggregate(1L, (a, b) => a * b);
}
