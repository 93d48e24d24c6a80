using System.Globalization;
using Nas.Core;
using Nas.Core.SearchSpaces;
using Nas.Data.Synthetic;

namespace Nas.OneShot.Benchmark;

/// <summary>
/// The size of the efficacy benchmark (saved as <c>plan.json</c>; <c>nas bench efficacy --plan FILE</c> takes the same
/// schema). <see cref="Quick"/> runs in minutes (a test); <see cref="Full"/> is the run recorded in
/// docs/benchmarks.md (several CPU-hours on 2 cores).
/// </summary>
public sealed record EfficacyPlan
{
    public string Input { get; init; } = "128x256";

    /// <summary>Synthetic scenes generated (80 % train, 10 % validation, 10 % test by the dataset's seeded split).</summary>
    public int Images { get; init; } = 600;

    public SyntheticDifficulty Scenes { get; init; } = SyntheticDifficulty.Hard;

    public int DataSeed { get; init; }

    /// <summary>Each seed trains its own supernet and repeats every search, random draw and retraining.</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [0, 1, 2];

    /// <summary>Targets as fractions of the way from the cheapest to the most expensive network under <see cref="Table"/>.</summary>
    public IReadOnlyList<double> TargetFractions { get; init; } = [0.25, 0.45, 0.65];

    /// <summary><c>macs</c> (analytic), <c>profile</c> (an ONNX Runtime CPU latency table measured and calibrated here) or a table CSV.</summary>
    public string Table { get; init; } = "profile";

    /// <summary>Export every retrained network to ONNX and time it end to end with ONNX Runtime.</summary>
    public bool Measure { get; init; } = true;

    public int Batch { get; init; } = 8;

    public int Threads { get; init; } = 2;

    public int SupernetEpochs { get; init; } = 40;

    public int SearchEpochs { get; init; } = 20;

    public int SearchWarmup { get; init; } = 5;

    public int Population { get; init; } = 16;

    public int Generations { get; init; } = 10;

    public int BnBatches { get; init; } = 4;

    public int RandomPerTarget { get; init; } = 4;

    public int RetrainEpochs { get; init; } = 20;

    public int RankSamples { get; init; } = 10;

    public int RankRetrainEpochs { get; init; } = 10;

    public InputSize InputSize => InputSize.TryParse(Input, out InputSize s) ? s : throw new NasException($"plan: input '{Input}' is not HxW");

    /// <summary>The run recorded in docs/benchmarks.md: hard scenes at 128×256, 3 seeds × 3 latency targets.</summary>
    public static EfficacyPlan Full { get; } = new();

    /// <summary>A few minutes on 2 cores: tiny images, one seed, two MAC targets, one epoch per stage.</summary>
    public static EfficacyPlan Quick { get; } = new()
    {
        Input = "64x128",
        Images = 40,
        Seeds = [0],
        TargetFractions = [0.3, 0.55],
        Table = "macs",
        Measure = false,
        Batch = 4,
        SupernetEpochs = 1,
        SearchEpochs = 2,
        SearchWarmup = 1,
        Population = 4,
        Generations = 1,
        BnBatches = 1,
        RandomPerTarget = 2,
        RetrainEpochs = 1,
        RankSamples = 3,
        RankRetrainEpochs = 1,
    };

    public void Validate()
    {
        _ = InputSize;
        if (Images < 20 || Seeds.Count < 1 || TargetFractions.Count < 1 || Batch < 1 || Threads < 1)
        {
            throw new NasException($"plan: needs >= 20 images, a seed, a target, batch and threads >= 1 (got {Images} images, {Seeds.Count} seeds, {TargetFractions.Count} targets)");
        }

        if (TargetFractions.Any(f => !(f > 0 && f < 1)))
        {
            throw new NasException($"plan: target fractions must be in (0, 1) (got {string.Join(", ", TargetFractions.Select(f => f.ToString(CultureInfo.InvariantCulture)))})");
        }

        if (Seeds.Distinct().Count() != Seeds.Count)
        {
            throw new NasException("plan: seeds must be distinct");
        }

        if (SupernetEpochs < 1 || SearchEpochs < 2 || SearchWarmup < 0 || SearchWarmup >= SearchEpochs || RetrainEpochs < 1 || RandomPerTarget < 1 || BnBatches < 1)
        {
            throw new NasException("plan: epochs, random networks and BatchNorm batches must be >= 1, search epochs >= 2 and warm-up below the search epochs");
        }

        if (Population < 2 || Generations < 0 || RankSamples is < 2 and not 0 || RankRetrainEpochs < 1)
        {
            throw new NasException("plan: population must be >= 2, generations >= 0, rank samples 0 (no ranking check) or >= 2");
        }
    }
}
