using Nas.Core.Graphs;

namespace Nas.Core.Costs;

/// <summary>Multiply-accumulates of convolutions (the SqueezeNAS convention: conv and transposed-conv MACs only), computed from the graph.</summary>
public sealed class MacMetric : CostMetric
{
    public override string Name => "macs";

    public override string TableUnit => "macs";

    public override string SearchUnit => "GMAC";

    public override double SearchScale => 1e-9;

    public override string PredictedKey => "macs";

    public override bool IsAnalytic => true;

    public override double? Analytic(GraphShapes shapes) => GraphCost.Compute(shapes).Macs;
}
