using Nas.Core.SearchSpaces;
using Nas.Supernet.Ops;
using TorchSharp;
using static TorchSharp.torch;

namespace Nas.Supernet.Blocks;

/// <summary>One position of a standalone network: its chosen op, plus the residual when stride 1 and channels equal.</summary>
public sealed class FixedBlock : nn.Module<Tensor, Tensor>
{
    [TorchSharp.Utils.ComponentName(Name = "op")]
    private readonly nn.Module<Tensor, Tensor> _op;

    public FixedBlock(BlockPosition position, CandidateOp op)
        : base(nameof(FixedBlock))
    {
        Position = position;
        Op = op;
        _op = CandidateOpFactory.Create(position, op);
        RegisterComponents();
    }

    public BlockPosition Position { get; }

    public CandidateOp Op { get; }

    public nn.Module<Tensor, Tensor> Module => _op;

    /// <summary>True when the block is the identity (skip at a stride-1, equal-channel position).</summary>
    public bool IsIdentity => ResidualForward.IsIdentity(_op, Position.IsResidual);

    public override Tensor forward(Tensor input) => ResidualForward.Run(_op, Position.IsResidual, input);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _op.Dispose();
        }

        base.Dispose(disposing);
    }
}
