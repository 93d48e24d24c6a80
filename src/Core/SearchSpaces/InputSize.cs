using System.Globalization;

namespace Nas.Core.SearchSpaces;

/// <summary>An image size, height × width, written <c>HxW</c> (e.g. <c>1024x2048</c>).</summary>
public readonly record struct InputSize(int Height, int Width)
{
    /// <summary>The networks' output stride; inputs are zero-padded at the bottom/right to a multiple of it.</summary>
    public const int NetworkStride = 16;

    public static InputSize Cityscapes { get; } = new(1024, 2048);

    /// <summary>The size the network actually runs at: each side rounded up to a multiple of <paramref name="multiple"/>.</summary>
    public InputSize PaddedTo(int multiple = NetworkStride) =>
        new(RoundUp(Height, multiple), RoundUp(Width, multiple));

    public bool IsMultipleOf(int multiple) => Height % multiple == 0 && Width % multiple == 0;

    public static InputSize Parse(string text)
    {
        if (TryParse(text, out InputSize size))
        {
            return size;
        }

        throw new NasException($"invalid size '{text}': expected HxW with positive integers, e.g. 256x512");
    }

    public static bool TryParse(string? text, out InputSize size)
    {
        size = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string[] parts = text.Trim().ToLowerInvariant().Split('x', '×', ',');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int h)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int w)
            || h <= 0 || w <= 0)
        {
            return false;
        }

        size = new InputSize(h, w);
        return true;
    }

    public override string ToString() => $"{Height}x{Width}";

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
