using Nas.Supernet.Ops;
using TorchSharp;
using static TorchSharp.torch;

namespace Nas.Supernet.Blocks;

/// <summary>
/// The forward rule shared by standalone and mixed blocks: x + op(x) at residual positions, op(x) elsewhere,
/// and the input itself for skip at a residual position (its op is zero, so the sum is only the shortcut).
/// </summary>
internal static class ResidualForward
{
    /// <summary>True for skip at a residual position: the block is the identity.</summary>
    public static bool IsIdentity(nn.Module<Tensor, Tensor> op, bool residual) => op is ZeroOp && residual;

    public static Tensor Run(nn.Module<Tensor, Tensor> op, bool residual, Tensor input)
    {
        if (IsIdentity(op, residual))
        {
            return input.alias();
        }

        Tensor y = op.call(input);
        return residual ? y.AddInPlace(input) : y;
    }
}
