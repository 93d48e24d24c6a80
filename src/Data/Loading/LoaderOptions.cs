using Nas.Core;
using Nas.Data.Transforms;

namespace Nas.Data.Loading;

/// <summary>How a <see cref="SegmentationLoader"/> batches and augments a split.</summary>
public sealed record LoaderOptions
{
    public int BatchSize { get; init; } = 4;

    public bool Shuffle { get; init; } = true;

    public bool DropLast { get; init; } = true;

    /// <summary>Training pipeline (random scale/crop/flip/jitter) when true; evaluation pipeline (resize only) otherwise.</summary>
    public bool Augment { get; init; } = true;

    /// <summary>Background threads preparing batches (0 = prepare each batch on the consumer's thread).</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Batches prepared ahead of the consumer, in all (bounded queues, so memory stays bounded).</summary>
    public int Prefetch { get; init; } = 4;

    public int Seed { get; init; }

    public TransformOptions Transform { get; init; } = new();

    /// <summary>Evaluation: batch 1, native size (or <paramref name="transform"/>'s resize), no augmentation, dataset order, nothing dropped.</summary>
    public static LoaderOptions ForEvaluation(int workers = 2, TransformOptions? transform = null) => new()
    {
        BatchSize = 1,
        Shuffle = false,
        DropLast = false,
        Augment = false,
        Workers = workers,
        Transform = transform ?? TransformOptions.ForEvaluation(),
    };

    public void Validate()
    {
        if (BatchSize < 1)
        {
            throw new NasException($"--batch must be >= 1 (got {BatchSize})");
        }

        if (Workers < 0 || Prefetch < 1)
        {
            throw new NasException($"--workers must be >= 0 and prefetch >= 1 (got {Workers}, {Prefetch})");
        }

        Transform.Validate();
    }
}
