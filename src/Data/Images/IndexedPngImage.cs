namespace Nas.Data.Images;

/// <summary>
/// A decoded index PNG: the raw values (grey levels or palette indices, never converted to colours), whether it
/// was a palette image, its bit depth, and its palette (empty for greyscale).
/// </summary>
public sealed record IndexedPngImage(LabelMap Pixels, bool IsPalette, int BitDepth, IReadOnlyList<(byte R, byte G, byte B)> Palette);
