using Nas.Core.Graphs;

namespace Nas.Core.Costs;

/// <summary>Total floating-point operations of every op (convolutions at two per MAC, plus BatchNorm, activations, pooling, resizes, …), computed from the graph.</summary>
public sealed class FlopMetric : CostMetric
{
    public override string Name => "flops";

    public override string TableUnit => "flops";

    public override string SearchUnit => "GFLOP";

    public override double SearchScale => 1e-9;

    public override string PredictedKey => "flops";

    public override bool IsAnalytic => true;

    public override double? Analytic(GraphShapes shapes) => GraphCost.Compute(shapes).Flops;
}
