using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nas.Supernet.Layers;

/// <summary>Convolution (no bias) + BatchNormalization (+ ReLU when <c>relu</c>): the unit of the stem, the last conv and the heads.</summary>
public sealed class ConvBnRelu : nn.Module<Tensor, Tensor>
{
    [TorchSharp.Utils.ComponentName(Name = "conv")]
    private readonly Conv2d _conv;

    [TorchSharp.Utils.ComponentName(Name = "bn")]
    private readonly BatchNormalization _bn;

    private readonly bool _relu;

    public ConvBnRelu(int inChannels, int outChannels, int kernel, int stride = 1, int padding = 0, int dilation = 1, int groups = 1, bool relu = true)
        : base(nameof(ConvBnRelu))
    {
        _conv = nn.Conv2d(inChannels, outChannels, kernel, stride: stride, padding: padding, dilation: dilation, groups: groups, bias: false);
        _bn = new BatchNormalization(outChannels);
        _relu = relu;
        RegisterComponents();
    }

    public Conv2d Conv => _conv;

    public BatchNormalization Norm => _bn;

    public bool HasRelu => _relu;

    public override Tensor forward(Tensor input)
    {
        using Tensor x = _conv.call(input);
        Tensor y = _bn.call(x);
        return _relu ? y.relu_() : y;
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
