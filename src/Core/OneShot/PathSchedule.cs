using Nas.Core.Evolution;

namespace Nas.Core.OneShot;

/// <summary>
/// The paths (candidate indices, one per position) that weight-sharing supernet training runs at each step. They are
/// a pure function of (seed, step), so a resumed run trains exactly the paths an uninterrupted one would.
/// </summary>
public sealed class PathSchedule
{
    private readonly int[]? _largest;
    private readonly int[]? _smallest;

    /// <param name="largest">Sandwich only: the most expensive genotype (by MACs or a table).</param>
    /// <param name="smallest">Sandwich only: the cheapest genotype.</param>
    public PathSchedule(int positions, int candidates, PathSampling sampling, PathFairness fairness, int randomPaths, int seed, int[]? largest = null, int[]? smallest = null)
    {
        if (positions < 1 || candidates < 1)
        {
            throw new NasException($"a path schedule needs positions and candidates (got {positions}x{candidates})");
        }

        if (randomPaths < (sampling == PathSampling.Uniform ? 1 : 0))
        {
            throw new NasException($"--random-paths must be >= {(sampling == PathSampling.Uniform ? 1 : 0)} for {sampling.ToString().ToLowerInvariant()} sampling (got {randomPaths})");
        }

        if (sampling == PathSampling.Sandwich && (largest?.Length != positions || smallest?.Length != positions))
        {
            throw new NasException("sandwich sampling needs the largest and the smallest genotype of the space");
        }

        Positions = positions;
        Candidates = candidates;
        Sampling = sampling;
        Fairness = fairness;
        RandomPaths = randomPaths;
        Seed = seed;
        _largest = largest;
        _smallest = smallest;
    }

    public int Positions { get; }

    public int Candidates { get; }

    public PathSampling Sampling { get; }

    public PathFairness Fairness { get; }

    public int RandomPaths { get; }

    public int Seed { get; }

    /// <summary>Paths per step: the random ones, plus largest and smallest for the sandwich rule.</summary>
    public int PathsPerStep => RandomPaths + (Sampling == PathSampling.Sandwich ? 2 : 0);

    /// <summary>The paths of step <paramref name="step"/> (0-based, counted over the whole run): sandwich first largest, then smallest, then the random ones.</summary>
    public IReadOnlyList<int[]> PathsFor(long step)
    {
        var paths = new List<int[]>(PathsPerStep);
        if (Sampling == PathSampling.Sandwich)
        {
            paths.Add(_largest!.ToArray());
            paths.Add(_smallest!.ToArray());
        }

        for (int j = 0; j < RandomPaths; j++)
        {
            paths.Add(RandomPath((step * RandomPaths) + j));
        }

        return paths;
    }

    /// <summary>The <paramref name="index"/>-th random path of the run.</summary>
    public int[] RandomPath(long index)
    {
        var ops = new int[Positions];
        if (Fairness == PathFairness.None)
        {
            Random rng = SeedMix.Random(Seed, 1, index);
            for (int p = 0; p < Positions; p++)
            {
                ops[p] = rng.Next(Candidates);
            }

            return ops;
        }

        long block = index / Candidates;
        int offset = (int)(index % Candidates);
        for (int p = 0; p < Positions; p++)
        {
            int[] permutation = Enumerable.Range(0, Candidates).ToArray();
            SeedMix.Random(Seed, 2, block, p).Shuffle(permutation);
            ops[p] = permutation[offset];
        }

        return ops;
    }
}
