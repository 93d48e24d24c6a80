using System.Globalization;
using Nas.Core;

namespace Nas.Models;

/// <summary>
/// A simple rule for the input sizes a network takes, checked before anything runs so that a bad size gives a
/// one-line error naming the rule (shape inference would otherwise fail later, at some node): height and width
/// multiples of <see cref="Multiple"/> and at least <see cref="Minimum"/>; <see cref="Reason"/> says where the rule
/// comes from (e.g. "four 2x2 poolings whose outputs are concatenated with 2x upsamplings").
/// </summary>
public sealed record InputSizeRule(int Multiple = 1, int Minimum = 1, string? Reason = null)
{
    /// <summary>Any size >= 1.</summary>
    public static InputSizeRule Any { get; } = new();

    public static InputSizeRule MultipleOf(int multiple, string reason) => new(multiple, multiple, reason);

    /// <summary>The rule in words, e.g. "height and width multiples of 32".</summary>
    public string Describe() =>
        Multiple > 1 ? $"height and width multiples of {Multiple.ToString(CultureInfo.InvariantCulture)}"
        : Minimum > 1 ? $"height and width >= {Minimum.ToString(CultureInfo.InvariantCulture)}"
        : "any size";

    public bool Accepts(int height, int width) =>
        height >= Math.Max(Minimum, 1) && width >= Math.Max(Minimum, 1) && height % Multiple == 0 && width % Multiple == 0;

    /// <summary>Throws a one-line <see cref="NasException"/> naming the rule when <paramref name="height"/>×<paramref name="width"/> breaks it.</summary>
    public void Check(string network, int height, int width)
    {
        if (Accepts(height, width))
        {
            return;
        }

        string because = Reason is null ? string.Empty : $" ({Reason})";
        string nearest = Multiple > 1 ? $"; e.g. {RoundUp(height)}x{RoundUp(width)}" : string.Empty;
        throw new NasException($"'{network}' cannot take an input of {height}x{width}: it needs {Describe()}{because}{nearest}");
    }

    private string RoundUp(int size)
    {
        long rounded = Math.Max(Minimum, ((Math.Max(size, 1) + (long)Multiple - 1) / Multiple) * Multiple);
        return rounded.ToString(CultureInfo.InvariantCulture);
    }
}
