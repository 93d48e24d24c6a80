using Nas.Core.Evolution;

namespace Nas.OneShot.Search;

/// <summary>
/// Everything an evolutionary search needs (saved as the search folder's <c>config.json</c>; <c>--config</c> takes the
/// same schema): the trained supernet (and its SHA-256, so a resumed search refuses a changed file), the cost limits,
/// the evolution settings and how sub-networks are scored.
/// </summary>
public sealed record EvolveConfig
{
    /// <summary>A checkpoint of <c>nas supernet train</c>.</summary>
    public string Supernet { get; init; } = string.Empty;

    /// <summary>Filled in by the search: the checkpoint's SHA-256.</summary>
    public string? SupernetSha256 { get; init; }

    /// <summary>Optional check: the space the supernet must have (small, large, xlarge or a space JSON file).</summary>
    public string? Space { get; init; }

    public IReadOnlyList<CostLimit> Limits { get; init; } = [];

    public EvolutionOptions Evolution { get; init; } = new();

    /// <summary>Training batches for the BatchNorm re-estimation of every candidate.</summary>
    public int BnBatches { get; init; } = 8;

    /// <summary>Re-estimate BatchNorm statistics per candidate (off only to show why it is needed).</summary>
    public bool ReestimateBn { get; init; } = true;

    /// <summary>Held-out images to score on (0 = all).</summary>
    public int EvalImages { get; init; }

    /// <summary>Dataset folder when the data has moved since the supernet was trained (null = the supernet's).</summary>
    public string? Root { get; init; }

    /// <summary>Evaluation cache shared between searches on the same supernet (null = <c>evaluations.json</c> in the search folder).</summary>
    public string? EvalCache { get; init; }

    public int Threads { get; init; } = 2;
}
