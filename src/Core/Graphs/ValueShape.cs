namespace Nas.Core.Graphs;

/// <summary>
/// The shape of one image's value in a layer graph, channels × height × width (the batch dimension is implicit:
/// every value is N×C×H×W at run time).
/// </summary>
public readonly record struct ValueShape(int Channels, int Height, int Width, ElementType Type = ElementType.Float32)
{
    public long Elements => (long)Channels * Height * Width;

    public int[] ToArray() => [Channels, Height, Width];

    public override string ToString() => $"{Channels}x{Height}x{Width}";
}
