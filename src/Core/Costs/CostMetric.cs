using Nas.Core.Graphs;

namespace Nas.Core.Costs;

/// <summary>
/// A resource a network costs and a search can minimise or limit: latency, MACs, FLOPs, … One type per metric (listed
/// in <see cref="CostMetrics"/>) holds everything the rest of Nas needs to know about it — the name users give with
/// <c>--cost</c>, the unit lookup tables record, the unit and scale the search loss works in, the key of a genotype's
/// <c>predicted</c> map — so a new metric is one type plus its registry entry, not string literals in many projects.
/// </summary>
public abstract class CostMetric
{
    /// <summary>The name on the command line (<c>--cost latency</c>) and in configs.</summary>
    public abstract string Name { get; }

    /// <summary>The unit a lookup table of this metric records in its metadata and rows (<c>ms</c>, <c>macs</c>).</summary>
    public abstract string TableUnit { get; }

    /// <summary>The unit the search loss, λ, targets and limits of the differentiable search use (<c>ms</c>, <c>GMAC</c>).</summary>
    public abstract string SearchUnit { get; }

    /// <summary>Factor from <see cref="TableUnit"/> to <see cref="SearchUnit"/> (1e-9 for MACs → GMAC) so that loss weights have a known scale.</summary>
    public virtual double SearchScale => 1.0;

    /// <summary>The key of a network's predicted cost in genotype.json's <c>predicted</c> map (in <see cref="TableUnit"/>).</summary>
    public abstract string PredictedKey { get; }

    /// <summary>A short label for plots and tables, e.g. <c>latency (ms)</c>.</summary>
    public virtual string AxisLabel => $"{Name} ({TableUnit})";

    /// <summary>
    /// The metric's value of a (sub-)graph computed from the graph alone, or null for a measured metric, which needs a
    /// profiler on the target device (<c>nas lut profile</c> / <c>lut kit</c> + <c>run-kit</c>).
    /// </summary>
    public virtual double? Analytic(GraphShapes shapes) => null;

    /// <summary>Whether <see cref="Analytic"/> gives values, so that tables of this metric are built without measuring (<c>nas lut analytic</c>).</summary>
    public virtual bool IsAnalytic => false;

    public override string ToString() => Name;
}
