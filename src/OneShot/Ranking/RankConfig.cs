namespace Nas.OneShot.Ranking;

/// <summary>
/// Settings of the ranking check (the folder's <c>config.json</c>): the supernet, how many networks, how they are
/// spread over the cost range (by <see cref="Table"/>), how they are scored with inherited weights and how long each
/// is retrained stand-alone.
/// </summary>
public sealed record RankConfig
{
    public string Supernet { get; init; } = string.Empty;

    public string? SupernetSha256 { get; init; }

    public int Samples { get; init; } = 10;

    /// <summary>Cost used to spread the samples: <c>macs</c> or a lookup table CSV of the supernet's space and input.</summary>
    public string Table { get; init; } = "macs";

    public int RetrainEpochs { get; init; } = 5;

    public double RetrainLr { get; init; } = 0.05;

    public int BnBatches { get; init; } = 8;

    public int EvalImages { get; init; }

    public string? Root { get; init; }

    public string? EvalCache { get; init; }

    public int Seed { get; init; }

    public int Threads { get; init; } = 2;
}
