using Nas.Supernet.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nas.Supernet.Ops;

/// <summary>
/// The skip candidate at a stride-2 position (§1.3): ReLU, then two 1×1 stride-2 convolutions to C_out/2 each
/// (the second on the input shifted by one pixel, x[:, :, 1:, 1:]), each with BN, concatenated on channels.
/// </summary>
public sealed class FactorizedReduceOp : nn.Module<Tensor, Tensor>
{
    [TorchSharp.Utils.ComponentName(Name = "conv_a")]
    private readonly Conv2d _convA;

    [TorchSharp.Utils.ComponentName(Name = "bn_a")]
    private readonly BatchNormalization _bnA;

    [TorchSharp.Utils.ComponentName(Name = "conv_b")]
    private readonly Conv2d _convB;

    [TorchSharp.Utils.ComponentName(Name = "bn_b")]
    private readonly BatchNormalization _bnB;

    public FactorizedReduceOp(int inChannels, int outChannels)
        : base(nameof(FactorizedReduceOp))
    {
        int half = outChannels / 2;
        _convA = nn.Conv2d(inChannels, half, 1, stride: 2, bias: false);
        _bnA = new BatchNormalization(half);
        _convB = nn.Conv2d(inChannels, half, 1, stride: 2, bias: false);
        _bnB = new BatchNormalization(half);
        RegisterComponents();
    }

    public (Conv2d Conv, BatchNormalization Bn) BranchA => (_convA, _bnA);

    public (Conv2d Conv, BatchNormalization Bn) BranchB => (_convB, _bnB);

    public override Tensor forward(Tensor input)
    {
        using Tensor x = nn.functional.relu(input);
        using Tensor a0 = _convA.call(x);
        using Tensor a = _bnA.call(a0);
        using Tensor shifted = x[.., .., 1.., 1..];
        using Tensor b0 = _convB.call(shifted);
        using Tensor b = _bnB.call(b0);
        return cat([a, b], 1);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _convA.Dispose();
            _bnA.Dispose();
            _convB.Dispose();
            _bnB.Dispose();
        }

        base.Dispose(disposing);
    }
}
