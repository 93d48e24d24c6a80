namespace Nas.Data.Images;

/// <summary>A label map: one raw class index per pixel (255 = ignore), rows top to bottom.</summary>
public sealed class LabelMap
{
    public LabelMap(int width, int height, byte[]? indices = null)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"label size must be positive ({height}x{width}, HxW)");
        }

        Width = width;
        Height = height;
        Indices = indices ?? new byte[width * height];
        if (Indices.Length != width * height)
        {
            throw new ArgumentException("index buffer does not match the size", nameof(indices));
        }
    }

    public int Width { get; }

    public int Height { get; }

    public byte[] Indices { get; }

    /// <summary>The value at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public byte this[int x, int y]
    {
        get => Indices[(y * Width) + x];
        set => Indices[(y * Width) + x] = value;
    }
}
