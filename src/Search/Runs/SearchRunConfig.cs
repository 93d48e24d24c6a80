using Nas.Training.Data;

namespace Nas.Search.Runs;

/// <summary>
/// Everything a search run needs (the resolved form is saved as the run folder's <c>config.json</c>; a JSON file of
/// the same schema can be given with <c>--config</c>): the space, the cost table, the data (whose crop is the search's
/// input size and must match the table's) and the search hyper-parameters.
/// </summary>
public sealed record SearchRunConfig
{
    /// <summary>small, large, xlarge or a space JSON file.</summary>
    public string Space { get; init; } = "small";

    /// <summary>A <see cref="Nas.Core.Costs.CostMetrics"/> name: <c>macs</c> (analytic, GMAC), <c>flops</c> (analytic, GFLOP) or <c>latency</c> (a measured table, ms).</summary>
    public string Cost { get; init; } = "macs";

    /// <summary>Lookup table CSV (required for latency; optional for MACs).</summary>
    public string? Table { get; init; }

    /// <summary>Share of the training split used for the architecture updates (FBNet: 0.2).</summary>
    public double ArchSplit { get; init; } = 0.2;

    public int Threads { get; init; } = 2;

    public DataConfig Data { get; init; } = new();

    public SearchOptions Search { get; init; } = new();
}
