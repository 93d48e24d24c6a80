using System.Globalization;
using Nas.Core;
using Nas.Core.OneShot;
using Nas.Training.Schedules;

namespace Nas.OneShot.Training;

/// <summary>
/// Hyper-parameters of weight-sharing supernet training (no architecture parameters): which paths each step trains
/// and how the shared weights are optimised (SGD with momentum and a per-iteration schedule, as the search's weights).
/// </summary>
public sealed record SupernetTrainOptions
{
    public int Epochs { get; init; } = 30;

    public PathSampling Sampling { get; init; } = PathSampling.Uniform;

    public PathFairness Fairness { get; init; } = PathFairness.Strict;

    /// <summary>Random paths per step (null: 1 for uniform, 2 for sandwich). Gradients of all paths of a step are averaged.</summary>
    public int? RandomPaths { get; init; }

    /// <summary>Sandwich only: what "largest" and "smallest" mean — <c>macs</c> (analytic) or a lookup table CSV.</summary>
    public string SandwichCost { get; init; } = "macs";

    public double Lr { get; init; } = 0.05;

    public double Momentum { get; init; } = 0.9;

    public double WeightDecay { get; init; } = 4e-5;

    public LrScheduleKind Schedule { get; init; } = LrScheduleKind.Cosine;

    public int Seed { get; init; }

    public int ResolvedRandomPaths => RandomPaths ?? (Sampling == PathSampling.Sandwich ? 2 : 1);

    public void Validate()
    {
        if (Epochs < 1)
        {
            throw new NasException($"--epochs must be >= 1 (got {Epochs})");
        }

        int min = Sampling == PathSampling.Uniform ? 1 : 0;
        if (ResolvedRandomPaths < min || ResolvedRandomPaths > 64)
        {
            throw new NasException($"--random-paths must be in [{min}, 64] for {Sampling.ToString().ToLowerInvariant()} sampling (got {ResolvedRandomPaths})");
        }

        if (!(Lr > 0) || double.IsInfinity(Lr))
        {
            throw new NasException($"--lr must be a positive number (got {Lr.ToString(CultureInfo.InvariantCulture)})");
        }

        if (!(Momentum >= 0) || !(WeightDecay >= 0))
        {
            throw new NasException($"--momentum and --weight-decay must be >= 0 (got {Momentum.ToString(CultureInfo.InvariantCulture)}, {WeightDecay.ToString(CultureInfo.InvariantCulture)})");
        }
    }
}
