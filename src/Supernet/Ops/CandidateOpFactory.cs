using Nas.Core.SearchSpaces;
using Nas.Supernet.Layers;
using static TorchSharp.torch;

namespace Nas.Supernet.Ops;

/// <summary>Builds the module a candidate op becomes at a position (skip → zero / FactorizedReduce / projection).</summary>
public static class CandidateOpFactory
{
    public static nn.Module<Tensor, Tensor> Create(BlockPosition position, CandidateOp op)
    {
        if (!op.IsSkip)
        {
            return new InvertedResidualOp(op, position.InChannels, position.OutChannels, position.Stride);
        }

        return position.SkipKind switch
        {
            SkipKind.Identity => new ZeroOp(),
            SkipKind.FactorizedReduce => new FactorizedReduceOp(position.InChannels, position.OutChannels),
            _ => new ProjectionOp(position.InChannels, position.OutChannels),
        };
    }
}
