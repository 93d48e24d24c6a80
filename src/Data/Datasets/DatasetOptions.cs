namespace Nas.Data.Datasets;

/// <summary>
/// How a dataset split is selected and checked. Datasets without an official split (RailSem19, the synthetic rail
/// scenes) are split by seeded fractions of their sorted ids — train, val, the rest test — or by a list file.
/// </summary>
public sealed record DatasetOptions
{
    public int SplitSeed { get; init; }

    public double TrainFraction { get; init; } = 0.8;

    public double ValFraction { get; init; } = 0.1;

    /// <summary>A text file of sample ids (one per line) that makes up the split, instead of fractions.</summary>
    public string? SplitFile { get; init; }

    /// <summary>Exclude unpaired, unreadable or out-of-range samples (counted) instead of failing.</summary>
    public bool SkipBad { get; init; }

    /// <summary>At most this many samples (0 = all), taken after splitting; handy for quick runs.</summary>
    public int Limit { get; init; }

    /// <summary>With <see cref="SkipBad"/>: leave out unpaired files only, without reading every label (the checker reads them itself).</summary>
    internal bool SkipUnpairedOnly { get; init; }
}
