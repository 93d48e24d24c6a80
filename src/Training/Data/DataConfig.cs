using Nas.Core;
using Nas.Core.SearchSpaces;
using Nas.Data.Datasets;
using Nas.Data.Loading;
using Nas.Data.Transforms;
using Nas.Models;

namespace Nas.Training.Data;

/// <summary>Where a run's images come from and how they are augmented and batched (part of search and train configs).</summary>
public sealed record DataConfig
{
    /// <summary>cityscapes, railsem19, synthetic, voc or folder.</summary>
    public string Dataset { get; init; } = "synthetic";

    public string Root { get; init; } = string.Empty;

    public string TrainSplit { get; init; } = "train";

    public string ValSplit { get; init; } = "val";

    public int Batch { get; init; } = 4;

    public int Workers { get; init; } = 2;

    /// <summary>Training crop HxW (the search's input size).</summary>
    public string Crop { get; init; } = "256x512";

    public double ScaleMin { get; init; } = 0.5;

    public double ScaleMax { get; init; } = 2.0;

    public bool Flip { get; init; } = true;

    public double Jitter { get; init; } = 0.2;

    /// <summary>Resize validation images to HxW before inference (null = native size; scores are computed at label size).</summary>
    public string? EvalSize { get; init; }

    public int SplitSeed { get; init; }

    public string? SplitFile { get; init; }

    public bool SkipBad { get; init; }

    /// <summary>Use at most this many images per split (0 = all; the <c>--limit</c> option itself must be >= 1).</summary>
    public int Limit { get; init; }

    /// <summary>
    /// For datasets split by seeded fractions (RailSem19, synthetic): the share of images in the train split
    /// (null = the dataset default, 0.8). The demo uses every image it generates by setting train + val to 1.
    /// </summary>
    public double? TrainFraction { get; init; }

    /// <summary>The share of images in the val split (null = the dataset default, 0.1); the rest is the test split.</summary>
    public double? ValFraction { get; init; }

    public DatasetOptions DatasetOptions
    {
        get
        {
            var defaults = new DatasetOptions();
            return new()
            {
                SplitSeed = SplitSeed,
                SplitFile = SplitFile,
                SkipBad = SkipBad,
                Limit = Limit,
                TrainFraction = TrainFraction ?? defaults.TrainFraction,
                ValFraction = ValFraction ?? defaults.ValFraction,
            };
        }
    }

    public InputSize CropSize => InputSize.Parse(Crop, "crop");

    /// <summary>
    /// Checks every setting that needs no files (sizes, batch, workers, limit, augmentation); errors name the option
    /// (<paramref name="cropOption"/>: <c>--crop</c> for training, <c>--input</c> for the search).
    /// </summary>
    public void Validate(string cropOption = "--crop")
    {
        InputSize.Parse(Crop, cropOption);
        if (EvalSize is not null)
        {
            InputSize.Parse(EvalSize, "--eval-size");
        }

        if (Batch < 1)
        {
            throw new NasException($"--batch must be >= 1 (got {Batch})");
        }

        if (Workers < 0)
        {
            throw new NasException($"--workers must be >= 0 (got {Workers}; 0 loads the images on the training thread)");
        }

        if (Limit < 0)
        {
            throw new NasException($"--limit must be >= 1 (got {Limit}; leave it out to use every image)");
        }

        new TransformOptions { ScaleMin = ScaleMin, ScaleMax = ScaleMax, Flip = Flip, Jitter = Jitter }.Validate();
    }

    public SegmentationDataset Open(string split)
    {
        if (string.IsNullOrWhiteSpace(Root))
        {
            throw new NasException("--root is required: the folder of the dataset");
        }

        return DatasetCatalog.Open(Dataset, Root, split, DatasetOptions);
    }

    /// <summary>The training loader; images are normalised as <paramref name="input"/> says (null: ImageNet RGB).</summary>
    public SegmentationLoader TrainLoader(SegmentationDataset dataset, int seed, InputConvention? input = null)
    {
        InputSize crop = CropSize;
        return new SegmentationLoader(dataset, new LoaderOptions
        {
            BatchSize = Batch,
            Workers = Workers,
            Seed = seed,
            Augment = true,
            Shuffle = true,
            DropLast = dataset.Count >= Batch,
            Transform = new TransformOptions { Height = crop.Height, Width = crop.Width, ScaleMin = ScaleMin, ScaleMax = ScaleMax, Flip = Flip, Jitter = Jitter }.For(input),
        });
    }

    /// <summary>The evaluation loader; images are normalised as <paramref name="input"/> says (null: ImageNet RGB).</summary>
    public SegmentationLoader EvalLoader(SegmentationDataset dataset, InputConvention? input = null)
    {
        InputSize? size = EvalSize is null ? null : InputSize.Parse(EvalSize, "--eval-size");
        return new SegmentationLoader(dataset, new LoaderOptions
        {
            BatchSize = 1,
            Workers = Workers,
            Augment = false,
            Shuffle = false,
            DropLast = false,
            Transform = new TransformOptions { Height = size?.Height ?? 0, Width = size?.Width ?? 0 }.For(input),
        });
    }
}
