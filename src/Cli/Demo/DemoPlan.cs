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

        double scale = minutes / 10.0;
        int Scaled(double value, int min) => Math.Max(min, (int)Math.Round(value * scale));
        double[] targets = minutes < 5 ? [0.3, 0.6] : [0.25, 0.45, 0.65];
        return new DemoPlan(
            minutes,
            Height: 128,
            Width: 256,
            TrainImages: Scaled(160, 40),
            ValImages: Scaled(32, 12),
            SearchEpochs: Scaled(6, 3),
            SearchWarmup: minutes < 5 ? 1 : 2,
            TrainEpochs: Scaled(8, 3),
            Batch: 4,
            TargetFractions: targets,
            RandomPerTarget: minutes < 5 ? 1 : 2);
    }
}
