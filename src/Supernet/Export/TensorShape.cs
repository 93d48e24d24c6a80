namespace Nas.Supernet.Export;

/// <summary>The static shape of an activation while a graph is emitted.</summary>
public readonly record struct TensorShape(long N, long C, long H, long W)
{
    public long[] ToArray() => [N, C, H, W];

    public override string ToString() => $"{N}x{C}x{H}x{W}";
}
