using Nas.Supernet.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nas.Supernet.Ops;

/// <summary>The skip candidate at a stride-1 position that changes channels (§1.3): ReLU, 1×1 conv, BN.</summary>
public sealed class ProjectionOp : nn.Module<Tensor, Tensor>
{
    [TorchSharp.Utils.ComponentName(Name = "conv")]
    private readonly Conv2d _conv;

    [TorchSharp.Utils.ComponentName(Name = "bn")]
    private readonly BatchNormalization _bn;

    public ProjectionOp(int inChannels, int outChannels)
        : base(nameof(ProjectionOp))
    {
        _conv = nn.Conv2d(inChannels, outChannels, 1, bias: false);
        _bn = new BatchNormalization(outChannels);
        RegisterComponents();
    }

    public (Conv2d Conv, BatchNormalization Bn) Layer => (_conv, _bn);

    public override Tensor forward(Tensor input)
    {
        using Tensor x = nn.functional.relu(input);
        using Tensor y = _conv.call(x);
        return _bn.call(y);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _conv.Dispose();
            _bn.Dispose();
        }

        base.Dispose(disposing);
    }
}
