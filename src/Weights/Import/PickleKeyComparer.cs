using System.Numerics;
using System.Runtime.CompilerServices;

namespace Nas.Weights.Import;

/// <summary>
/// Dict-key equality for unpickled values: strings ordinally, integers and floats by value, byte strings by content,
/// tuples element-wise; anything else by reference. Hashing never recurses more than one tuple level deep, so a
/// hostile pickle cannot make it overflow the stack.
/// </summary>
internal sealed class PickleKeyComparer : IEqualityComparer<object>
{
    public static PickleKeyComparer Instance { get; } = new();

    public new bool Equals(object? x, object? y) => Same(x, y, depth: 0);

    public int GetHashCode(object obj) => Hash(obj, depth: 0);

    private static bool Same(object? x, object? y, int depth)
    {
        switch (x)
        {
            case null:
                return y is null;
            case string s:
                return y is string t && string.Equals(s, t, StringComparison.Ordinal);
            case long or BigInteger or bool or double:
                return Number(x) is BigInteger a && Number(y) is BigInteger b ? a == b : x.Equals(y);
            case byte[] bytes:
                return y is byte[] other && bytes.AsSpan().SequenceEqual(other);
            case object?[] tuple when depth < 8:
                if (y is not object?[] other2 || other2.Length != tuple.Length)
                {
                    return false;
                }

                for (int i = 0; i < tuple.Length; i++)
                {
                    if (!Same(tuple[i], other2[i], depth + 1))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return ReferenceEquals(x, y);
        }
    }

    private static int Hash(object? obj, int depth) => obj switch
    {
        null => 0,
        string s => StringComparer.Ordinal.GetHashCode(s),
        long or BigInteger or bool => Number(obj)!.Value.GetHashCode(),
        double d => d.GetHashCode(),
        byte[] bytes => bytes.Length,
        object?[] tuple when depth < 8 => tuple.Aggregate(tuple.Length, (h, item) => HashCode.Combine(h, Hash(item, depth + 1))),
        _ => RuntimeHelpers.GetHashCode(obj),
    };

    private static BigInteger? Number(object? value) => value switch
    {
        long l => l,
        BigInteger b => b,
        bool flag => flag ? BigInteger.One : BigInteger.Zero,
        _ => null,
    };
}
