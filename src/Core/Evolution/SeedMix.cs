namespace Nas.Core.Evolution;

/// <summary>
/// Derives independent, reproducible seeds from a run seed and counters (SplitMix64 finaliser), so that e.g.
/// generation g or training step s draws the same random numbers whether or not the run was interrupted before it.
/// </summary>
public static class SeedMix
{
    public static int Combine(int seed, params long[] parts)
    {
        ulong h = Mix((ulong)(uint)seed + 0x9E3779B97F4A7C15UL);
        foreach (long part in parts)
        {
            h = Mix(h ^ ((ulong)part + 0x9E3779B97F4A7C15UL));
        }

        return (int)(h & 0x7FFFFFFF);
    }

    /// <summary>A <see cref="System.Random"/> seeded with <see cref="Combine"/> (the seeded algorithm is fixed across .NET versions).</summary>
    public static Random Random(int seed, params long[] parts) => new(Combine(seed, parts));

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
