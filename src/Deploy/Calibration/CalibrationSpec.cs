using Nas.Core;
using Nas.Data.Datasets;

namespace Nas.Deploy.Calibration;

/// <summary>
/// Where calibration images come from: a split of a dataset of the registry (<see cref="DatasetCatalog"/>), read with
/// the evaluation transform of <c>nas eval</c> (RGB/255, ImageNet mean/std). <see cref="Images"/> are taken evenly
/// spaced over the split (not the first N, which in Cityscapes would all be one city). Images must have the model's
/// input size unless <see cref="Resize"/> is set (then they are resized bilinearly as <c>nas eval --input</c> does).
/// </summary>
public sealed record CalibrationSpec
{
    public required string Dataset { get; init; }

    public required string Root { get; init; }

    public string Split { get; init; } = "train";

    public int Images { get; init; } = 32;

    public bool Resize { get; init; }

    public void Validate()
    {
        if (!DatasetCatalog.Names.Contains(Dataset.ToLowerInvariant()) && Dataset.ToLowerInvariant() is not ("rs19" or "synthetic-rail" or "pascal-voc"))
        {
            throw new NasException($"unknown --calibration-dataset '{Dataset}': expected one of {string.Join(", ", DatasetCatalog.Names)}");
        }

        if (string.IsNullOrWhiteSpace(Root) || !Directory.Exists(Root))
        {
            throw new NasException($"--calibration-root not found: '{Root}'");
        }

        if (Images < 1)
        {
            throw new NasException($"--calibration-images must be >= 1 (got {Images})");
        }
    }
}
