namespace Nas.Data.Loading;

/// <summary>
/// Seeds derived from (seed, epoch, index) with the SplitMix64 finaliser, so that every sample of every epoch has
/// its own well-mixed random stream, independent of which worker prepares it or when.
/// </summary>
public static class SampleSeed
{
    /// <summary>The seed of sample <paramref name="index"/> in <paramref name="epoch"/> (index −1: the epoch's shuffle).</summary>
    public static int For(int seed, int epoch, int index)
    {
        ulong x = Mix((ulong)(uint)seed);
        x = Mix(x ^ (ulong)(uint)epoch);
        x = Mix(x ^ (ulong)(uint)index);
        return (int)(x >> 33);
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
