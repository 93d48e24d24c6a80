using Nas.Core;

namespace Nas.Cli.Demo;

/// <summary>
/// What the demo does for a time budget, fixed before anything is measured: image size and count, batch, the number
/// of latency targets and random baselines per target. How many epochs the searches and trainings get is decided
/// later from measured step times (<see cref="DemoSizing"/>), so that the demo adapts to the machine it runs on.
/// </summary>
/// <param name="SearchShare">Share of the time left after the fixed stages that the searches may use; training gets the rest.</param>
public sealed record DemoPlan(
    int Minutes,
    int Height,
    int Width,
    int TrainImages,
    int ValImages,
    int Batch,
    int Targets,
    int RandomPerTarget,
    double SearchShare)
{
    /// <summary>Share of the training split the searches use for architecture updates.</summary>
    public const double ArchSplit = 0.25;

    public TimeSpan Budget => TimeSpan.FromMinutes(Minutes);

    public int Images => TrainImages + ValImages;

    public static DemoPlan For(int minutes)
    {
        if (minutes < 1 || minutes > 24 * 60)
        {
            throw new NasException($"--minutes must be in 1..1440 (got {minutes})");
        }

        // Images grow with the square root of the budget (epochs take up the rest, see DemoSizing); the training
        // split is a multiple of the batch so that every generated image is used in every epoch.
        double scale = Math.Sqrt(minutes / 10.0);
        const int batch = 4;
        int train = Math.Max(10, (int)Math.Round(60 * scale)) * batch;
        int val = Math.Max(12, (int)Math.Round(40 * scale));
        return new DemoPlan(
            minutes,
            Height: 128,
            Width: 256,
            TrainImages: train,
            ValImages: val,
            Batch: batch,
            Targets: minutes < 5 ? 2 : 3,
            RandomPerTarget: minutes < 5 ? 1 : 2,
            SearchShare: 0.4);
    }
}
