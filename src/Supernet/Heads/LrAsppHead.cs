using Nas.Core.Costs;
using Nas.Supernet.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Nas.Supernet.Heads;

/// <summary>
/// LR-ASPP (the official <c>ASPP_Lite</c>, §1.6): branch A 1×1 conv+BN+ReLU at OS16; branch B average-pools the
/// OS16 feature (49×49 window, strides (16, 20), count_include_pad=False, clamped per axis to small maps — see
/// <see cref="LrAsppPooling"/>), 1×1 conv with bias, sigmoid, bilinear resize back (align_corners=False);
/// A×B, bilinear ×2 (align_corners=False), 1×1 conv to classes; plus a 1×1 conv of the OS8 skip; sum; bilinear ×8
/// with align_corners=True.
/// </summary>
public sealed class LrAsppHead : SegmentationHead
{
    [TorchSharp.Utils.ComponentName(Name = "branch")]
    private readonly ConvBnRelu _branch;

    [TorchSharp.Utils.ComponentName(Name = "gate_conv")]
    private readonly Conv2d _gateConv;

    [TorchSharp.Utils.ComponentName(Name = "classifier")]
    private readonly Conv2d _classifier;

    [TorchSharp.Utils.ComponentName(Name = "skip_classifier")]
    private readonly Conv2d _skipClassifier;

    private readonly int _classes;

    public LrAsppHead(int inChannels, int skipChannels, int midChannels, int classes)
        : base(nameof(LrAsppHead))
    {
        _branch = new ConvBnRelu(inChannels, midChannels, 1);
        _gateConv = nn.Conv2d(inChannels, midChannels, 1, bias: true);
        _classifier = nn.Conv2d(midChannels, classes, 1, bias: true);
        _skipClassifier = nn.Conv2d(skipChannels, classes, 1, bias: true);
        _classes = classes;
        RegisterComponents();
    }

    public override int Classes => _classes;

    public override IEnumerable<string> ClassifierParameterPrefixes => ["classifier.", "skip_classifier."];

    public ConvBnRelu Branch => _branch;

    public Conv2d GateConv => _gateConv;

    public Conv2d Classifier => _classifier;

    public Conv2d SkipClassifier => _skipClassifier;

    public override Tensor forward(Tensor os16, Tensor skip)
    {
        long h = os16.shape[2];
        long w = os16.shape[3];
        if (skip.shape[2] != 2 * h || skip.shape[3] != 2 * w)
        {
            throw new InvalidOperationException($"LR-ASPP needs the OS8 skip at twice the OS16 size: skip {skip.shape[2]}x{skip.shape[3]}, OS16 {h}x{w}");
        }

        using Tensor a = _branch.call(os16);
        (int kh, int kw, int sh, int sw) = LrAsppPooling.For((int)h, (int)w);
        using Tensor pooled = avg_pool2d(os16, [kh, kw], [sh, sw], [0, 0], ceil_mode: false, count_include_pad: false);
        using Tensor g0 = _gateConv.call(pooled);
        using Tensor g1 = g0.sigmoid();
        using Tensor gate = interpolate(g1, [h, w], mode: InterpolationMode.Bilinear, align_corners: false);
        using Tensor gated = a * gate;
        using Tensor up = interpolate(gated, [2 * h, 2 * w], mode: InterpolationMode.Bilinear, align_corners: false);
        using Tensor main = _classifier.call(up);
        using Tensor side = _skipClassifier.call(skip);
        using Tensor sum = main.Plus(side);
        return interpolate(sum, [16 * h, 16 * w], mode: InterpolationMode.Bilinear, align_corners: true);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _branch.Dispose();
            _gateConv.Dispose();
            _classifier.Dispose();
            _skipClassifier.Dispose();
        }

        base.Dispose(disposing);
    }
}
