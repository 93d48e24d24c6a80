namespace Nas.Search;

/// <summary>How the supernet runs during the search (see docs/search.md for the memory/time trade-off).</summary>
public enum SearchMode
{
    /// <summary>All candidates run, weighted by per-image Gumbel-softmax samples (SqueezeNAS): memory ∝ candidates.</summary>
    Soft,

    /// <summary>One sampled candidate runs per position (straight-through), plus optional contrast paths without gradient.</summary>
    SinglePath,
}
