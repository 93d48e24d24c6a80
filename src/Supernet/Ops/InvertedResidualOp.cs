using Nas.Core.SearchSpaces;
using Nas.Supernet.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nas.Supernet.Ops;

/// <summary>
/// An inverted-residual candidate (§1.2): 1×1 expand (groups g) + BN + ReLU, k×k depthwise (stride, dilation) + BN +
/// ReLU, 1×1 project (groups g) + BN, no activation. The expand conv exists even at e = 1; no channel shuffle.
/// The residual is added by the block, not here.
/// </summary>
public sealed class InvertedResidualOp : nn.Module<Tensor, Tensor>
{
    [TorchSharp.Utils.ComponentName(Name = "expand_conv")]
    private readonly Conv2d _expandConv;

    [TorchSharp.Utils.ComponentName(Name = "expand_bn")]
    private readonly BatchNormalization _expandBn;

    [TorchSharp.Utils.ComponentName(Name = "depthwise_conv")]
    private readonly Conv2d _depthwiseConv;

    [TorchSharp.Utils.ComponentName(Name = "depthwise_bn")]
    private readonly BatchNormalization _depthwiseBn;

    [TorchSharp.Utils.ComponentName(Name = "project_conv")]
    private readonly Conv2d _projectConv;

    [TorchSharp.Utils.ComponentName(Name = "project_bn")]
    private readonly BatchNormalization _projectBn;

    public InvertedResidualOp(CandidateOp op, int inChannels, int outChannels, int stride)
        : base(nameof(InvertedResidualOp))
    {
        Op = op;
        int hidden = op.HiddenChannels(inChannels);
        _expandConv = nn.Conv2d(inChannels, hidden, 1, groups: op.Groups, bias: false);
        _expandBn = new BatchNormalization(hidden);
        _depthwiseConv = nn.Conv2d(hidden, hidden, op.Kernel, stride: stride, padding: op.Padding, dilation: op.Dilation, groups: hidden, bias: false);
        _depthwiseBn = new BatchNormalization(hidden);
        _projectConv = nn.Conv2d(hidden, outChannels, 1, groups: op.Groups, bias: false);
        _projectBn = new BatchNormalization(outChannels);
        RegisterComponents();
    }

    public CandidateOp Op { get; }

    public (Conv2d Conv, BatchNormalization Bn) Expand => (_expandConv, _expandBn);

    public (Conv2d Conv, BatchNormalization Bn) Depthwise => (_depthwiseConv, _depthwiseBn);

    public (Conv2d Conv, BatchNormalization Bn) Project => (_projectConv, _projectBn);

    public override Tensor forward(Tensor input)
    {
        using Tensor e0 = _expandConv.call(input);
        using Tensor e1 = _expandBn.call(e0).relu_();
        using Tensor d0 = _depthwiseConv.call(e1);
        using Tensor d1 = _depthwiseBn.call(d0).relu_();
        using Tensor p0 = _projectConv.call(d1);
        return _projectBn.call(p0);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _expandConv.Dispose();
            _expandBn.Dispose();
            _depthwiseConv.Dispose();
            _depthwiseBn.Dispose();
            _projectConv.Dispose();
            _projectBn.Dispose();
        }

        base.Dispose(disposing);
    }
}
