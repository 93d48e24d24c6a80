namespace Nas.Core.Costs;

/// <summary>Inference latency in milliseconds, measured per lookup-table entry on the target runtime and device.</summary>
public sealed class LatencyMetric : CostMetric
{
    public override string Name => "latency";

    public override string TableUnit => "ms";

    public override string SearchUnit => "ms";

    public override string PredictedKey => "latency_ms";
}
