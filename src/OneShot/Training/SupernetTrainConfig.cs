using Nas.Core;
using Nas.Training.Data;

namespace Nas.OneShot.Training;

/// <summary>
/// Everything a weight-sharing supernet run needs (saved as the run's <c>config.json</c> and inside every checkpoint,
/// so a search on the checkpoint finds the same data, input size and held-out part): the space, the data (whose
/// crop is the supernet's input size), the held-out share of the training split and the training options.
/// </summary>
public sealed record SupernetTrainConfig
{
    /// <summary>small, large, xlarge or a space JSON file.</summary>
    public string Space { get; init; } = "small";

    /// <summary>
    /// Share of the training split kept out of weight training: sub-networks are scored on it during the evolutionary
    /// search and the ranking check (0 = train on everything and score on the validation split instead).
    /// </summary>
    public double Holdout { get; init; } = 0.2;

    public int Threads { get; init; } = 2;

    public DataConfig Data { get; init; } = new();

    public SupernetTrainOptions Train { get; init; } = new();

    public void Validate()
    {
        Train.Validate();
        if (!(Holdout >= 0 && Holdout < 1))
        {
            throw new NasException($"--holdout must be in [0, 1) (got {Holdout})");
        }

        if (Threads < 1)
        {
            throw new NasException($"--threads must be >= 1 (got {Threads})");
        }

        _ = Data.CropSize;
    }
}
