namespace Nas.Core.OneShot;

/// <summary>How the random paths of weight-sharing training choose candidates.</summary>
public enum PathFairness
{
    /// <summary>Every position draws its candidate independently and uniformly for every path.</summary>
    None,

    /// <summary>
    /// FairNAS's strict fairness, per position: the random paths are taken in blocks of K (K = candidates); within a
    /// block every position uses a fresh random permutation of its K candidates, so each candidate of each position
    /// is trained exactly once per K random paths. With K random paths per step this is FairNAS exactly (every
    /// candidate once per step, gradients accumulated); with fewer, the block spans consecutive steps.
    /// </summary>
    Strict,
}
