namespace Nas.Core.Evolution;

/// <summary>What the evolutionary search optimises (every candidate always satisfies all constraints).</summary>
public enum EvolutionObjectives
{
    /// <summary>The highest accuracy (mIoU); survivors are the most accurate individuals.</summary>
    Miou,

    /// <summary>NSGA-II on (accuracy ↑, cost of the first constraint ↓): the result is a Pareto front.</summary>
    MiouLatency,
}
