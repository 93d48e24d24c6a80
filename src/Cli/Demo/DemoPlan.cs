using Nas.Core;

namespace Nas.Cli.Demo;

/// <summary>
/// Sizes of the demo for a time budget on 2 CPU cores: the defaults (10 minutes) were calibrated on this project's
/// 2-core machine; a longer budget trains longer and on more images.
/// </summary>
public sealed record DemoPlan(
    int Minutes,
    int Height,
    int Width,
    int TrainImages,
    int ValImages,
    int SearchEpochs,
    int SearchWarmup,
    int TrainEpochs,
    int Batch,
    double[] TargetFractions,
    int RandomPerTarget)
{
    public static DemoPlan For(int minutes)
    {
        if (minutes < 1 || minutes > 24 * 60)
        {
            throw new NasException($"--minutes must be in 1..1440 (got {minutes})");
        }

        // Images and epochs both grow with the square root of the budget; calibrated so that the default (10 min)
        // takes about 9 minutes on 2 cores: ~0.11 s per training step of batch 4 at 128x256.
        double scale = Math.Sqrt(minutes / 10.0);
        int Scaled(double value, int min) => Math.Max(min, (int)Math.Round(value * scale));
        double[] targets = minutes < 5 ? [0.3, 0.6] : [0.25, 0.45, 0.65];
        return new DemoPlan(
            minutes,
            Height: 128,
            Width: 256,
            TrainImages: Scaled(240, 40),
            ValImages: Scaled(40, 12),
            SearchEpochs: Scaled(8, 3),
            SearchWarmup: minutes < 5 ? 1 : 2,
            TrainEpochs: Scaled(6, 3),
            Batch: 4,
            TargetFractions: targets,
            RandomPerTarget: minutes < 5 ? 1 : 2);
    }
}
