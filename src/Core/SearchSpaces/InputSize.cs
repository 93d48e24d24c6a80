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

    /// <summary>The largest side accepted anywhere (32768: four times an 8K frame; larger sizes overflow the cost arithmetic).</summary>
    public const int MaxSide = 32768;

    public static InputSize Parse(string text) => Parse(text, "size");

    /// <summary>Parses <c>HxW</c>; the message names <paramref name="what"/> (e.g. <c>--crop</c>) and says what is wrong.</summary>
    public static InputSize Parse(string? text, string what)
    {
        if (TryParse(text, out InputSize size))
        {
            return size;
        }

        string[] parts = (text ?? string.Empty).Trim().ToLowerInvariant().Split('x', '×', ',');
        if (parts.Length == 2 && parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit)))
        {
            throw new NasException($"{what} '{text}': each side must be between 1 and {MaxSide} pixels");
        }

        throw new NasException($"{what} '{text}' is not HxW with positive integers (e.g. 256x512)");
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
            || h <= 0 || w <= 0 || h > MaxSide || w > MaxSide)
        {
            return false;
        }

        size = new InputSize(h, w);
        return true;
    }

    /// <summary>Pixels of one image of this size (not serialised: run configs keep their height/width schema, so older runs still resume).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long Pixels => (long)Height * Width;

    public override string ToString() => $"{Height}x{Width}";

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
