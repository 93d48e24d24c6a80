using Nas.Supernet.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Nas.Supernet.Ops;

/// <summary>
/// The skip candidate where it is an identity (stride 1, equal channels): the op contributes nothing and the
/// block's residual carries the input through, exactly as the official <c>Zero</c> op. Has no parameters.
/// </summary>
public sealed class ZeroOp : nn.Module<Tensor, Tensor>
{
    public ZeroOp()
        : base(nameof(ZeroOp))
    {
    }

    public override Tensor forward(Tensor input) => zeros_like(input);
}
