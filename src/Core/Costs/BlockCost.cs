using Nas.Core.SearchSpaces;

namespace Nas.Core.Costs;

/// <summary>MACs and parameters of one searchable block with its chosen op, with the shapes it maps between.</summary>
public sealed record BlockCost(BlockPosition Position, CandidateOp Op, InputSize InputSize, InputSize OutputSize, long Macs, long Params)
{
    /// <summary>What the block actually is (for skip: identity, FactorizedReduce or projection).</summary>
    public string Description => Op.IsSkip ? $"skip ({Position.SkipKind})" : Op.Name;
}
