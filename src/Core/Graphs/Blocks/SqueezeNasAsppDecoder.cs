namespace Nas.Core.Graphs.Blocks;

/// <summary>
/// The SqueezeNAS XLarge head (ASPP + decoder, reference §1.6), in scope <c>head</c>: a 1×1 branch and three 3×3 dilated
/// branches (rates 6/12/18, groups = mid), each +BN+ReLU, plus image pooling (global average, broadcast back,
/// concatenated raw with no conv); 1×1 projection +BN+ReLU; bilinear ×4 (align_corners=True) to OS4; concatenated with
/// a 1×1 conv (bias) of the OS4 skip; depthwise 3×3 +BN+ReLU; 1×1 classifier; bilinear ×4 (align_corners=True).
/// External names are the official <c>decoder._1x1_1_conv</c>, <c>decoder._3x3_{1,2,3}_conv</c>, <c>decoder._1x1_2_conv</c>,
/// <c>lowlevel1x1</c>, <c>logits2</c> and <c>logits3</c>.
/// </summary>
public static class SqueezeNasAsppDecoder
{
    public static string Build(GraphBuilder b, string os16, string skip, int mid, int classes)
    {
        using IDisposable scope = b.Scope("head");
        string[] branches =
        [
            ConvBnAct.Build(b, os16, Names("aspp_conv1x1", "decoder._1x1_1_conv"), mid, 1),
            ConvBnAct.Build(b, os16, Names("aspp_rate6", "decoder._3x3_1_conv"), mid, 3, padding: 6, dilation: 6, groups: mid),
            ConvBnAct.Build(b, os16, Names("aspp_rate12", "decoder._3x3_2_conv"), mid, 3, padding: 12, dilation: 12, groups: mid),
            ConvBnAct.Build(b, os16, Names("aspp_rate18", "decoder._3x3_3_conv"), mid, 3, padding: 18, dilation: 18, groups: mid),
            b.ResizeLike("image_pool_broadcast", b.GlobalAvgPool("image_pool", os16), os16, ResizeMode.Nearest),
        ];
        string aspp = ConvBnAct.Build(b, b.Concat("aspp_concat", branches), Names("aspp_project", "decoder._1x1_2_conv"), mid, 1);
        string up = b.Resize("up4", aspp, ResizeMode.Bilinear, 4, alignCorners: true);
        string low = b.Conv("skip_conv", skip, b.Channels(skip), 1, bias: true, external: "lowlevel1x1");
        string joined = b.Concat("join", up, low);
        int fused = b.Channels(joined);
        string f = ConvBnAct.Build(b, joined, Names("fuse_depthwise", "logits2"), fused, 3, padding: 1, groups: fused);
        string logits = b.Conv("classifier", f, classes, 1, bias: true, external: "logits3");
        return b.Resize("up4_final", logits, ResizeMode.Bilinear, 4, alignCorners: true);
    }

    private static ConvLayerNames Names(string ours, string official) =>
        new($"{ours}.conv", $"{ours}.bn", $"{ours}.act", $"{official}.conv", $"{official}.bn");
}
