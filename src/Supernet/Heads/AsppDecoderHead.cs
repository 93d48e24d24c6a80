using Nas.Supernet.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Nas.Supernet.Heads;

/// <summary>
/// ASPP + decoder (XLarge, §1.6): a 1×1 branch and three 3×3 dilated branches (rates 6/12/18, groups = mid), each
/// +BN+ReLU, plus image pooling (global average, broadcast back, concatenated raw with no conv); 1×1 projection
/// +BN+ReLU; bilinear ×4 (align_corners=True) to OS4; concatenated with a 1×1 conv (bias) of the OS4 skip;
/// depthwise 3×3 +BN+ReLU; 1×1 conv to classes; bilinear ×4 (align_corners=True).
/// </summary>
public sealed class AsppDecoderHead : SegmentationHead
{
    [TorchSharp.Utils.ComponentName(Name = "aspp_conv1x1")]
    private readonly ConvBnRelu _conv1x1;

    [TorchSharp.Utils.ComponentName(Name = "aspp_rate6")]
    private readonly ConvBnRelu _rate6;

    [TorchSharp.Utils.ComponentName(Name = "aspp_rate12")]
    private readonly ConvBnRelu _rate12;

    [TorchSharp.Utils.ComponentName(Name = "aspp_rate18")]
    private readonly ConvBnRelu _rate18;

    [TorchSharp.Utils.ComponentName(Name = "aspp_project")]
    private readonly ConvBnRelu _project;

    [TorchSharp.Utils.ComponentName(Name = "skip_conv")]
    private readonly Conv2d _skipConv;

    [TorchSharp.Utils.ComponentName(Name = "fuse_depthwise")]
    private readonly ConvBnRelu _fuse;

    [TorchSharp.Utils.ComponentName(Name = "classifier")]
    private readonly Conv2d _classifier;

    private readonly int _classes;

    public AsppDecoderHead(int inChannels, int skipChannels, int midChannels, int classes)
        : base(nameof(AsppDecoderHead))
    {
        _conv1x1 = new ConvBnRelu(inChannels, midChannels, 1);
        _rate6 = new ConvBnRelu(inChannels, midChannels, 3, padding: 6, dilation: 6, groups: midChannels);
        _rate12 = new ConvBnRelu(inChannels, midChannels, 3, padding: 12, dilation: 12, groups: midChannels);
        _rate18 = new ConvBnRelu(inChannels, midChannels, 3, padding: 18, dilation: 18, groups: midChannels);
        _project = new ConvBnRelu((4 * midChannels) + inChannels, midChannels, 1);
        _skipConv = nn.Conv2d(skipChannels, skipChannels, 1, bias: true);
        int fused = midChannels + skipChannels;
        _fuse = new ConvBnRelu(fused, fused, 3, padding: 1, groups: fused);
        _classifier = nn.Conv2d(fused, classes, 1, bias: true);
        _classes = classes;
        RegisterComponents();
    }

    public override int Classes => _classes;

    public override IEnumerable<string> ClassifierParameterPrefixes => ["classifier."];

    public IReadOnlyList<ConvBnRelu> AsppBranches => [_conv1x1, _rate6, _rate12, _rate18];

    public ConvBnRelu AsppProject => _project;

    public Conv2d SkipConv => _skipConv;

    public ConvBnRelu Fuse => _fuse;

    public Conv2d Classifier => _classifier;

    public override Tensor forward(Tensor os16, Tensor skip)
    {
        long h = os16.shape[2];
        long w = os16.shape[3];
        if (skip.shape[2] != 4 * h || skip.shape[3] != 4 * w)
        {
            throw new InvalidOperationException($"the ASPP decoder needs the OS4 skip at four times the OS16 size: skip {skip.shape[2]}x{skip.shape[3]}, OS16 {h}x{w}");
        }

        using Tensor b1 = _conv1x1.call(os16);
        using Tensor b2 = _rate6.call(os16);
        using Tensor b3 = _rate12.call(os16);
        using Tensor b4 = _rate18.call(os16);
        using Tensor pooled = os16.mean([2, 3], keepdim: true);
        using Tensor imagePool = pooled.expand(-1, -1, h, w);
        using Tensor concat = cat([b1, b2, b3, b4, imagePool], 1);
        using Tensor aspp = _project.call(concat);
        using Tensor up = interpolate(aspp, [4 * h, 4 * w], mode: InterpolationMode.Bilinear, align_corners: true);
        using Tensor low = _skipConv.call(skip);
        using Tensor joined = cat([up, low], 1);
        using Tensor fused = _fuse.call(joined);
        using Tensor logits = _classifier.call(fused);
        return interpolate(logits, [16 * h, 16 * w], mode: InterpolationMode.Bilinear, align_corners: true);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _conv1x1.Dispose();
            _rate6.Dispose();
            _rate12.Dispose();
            _rate18.Dispose();
            _project.Dispose();
            _skipConv.Dispose();
            _fuse.Dispose();
            _classifier.Dispose();
        }

        base.Dispose(disposing);
    }
}
