namespace Nas.Core.Graphs.Blocks;

/// <summary>
/// The SqueezeNAS LR-ASPP head (official <c>ASPP_Lite</c>, reference §1.6), in scope <c>head</c>: branch 1×1 conv+BN+ReLU
/// at OS16; gate = average pool 49×49 at strides (16, 20) (window clamped on small maps, see
/// <see cref="Nodes.AvgPoolNode.ClampWindow"/>), 1×1 conv with bias, sigmoid, bilinear resize to OS16
/// (align_corners=False); branch × gate, bilinear ×2, 1×1 classifier; plus a 1×1 classifier of the OS8 skip; sum;
/// bilinear ×8 with align_corners=True. External names are the official <c>decoder._1x1_{TL,BL,TR,BR}</c>.
/// </summary>
public static class SqueezeNasLrAspp
{
    public const int PoolWindow = 49;
    public const int PoolStrideH = 16;
    public const int PoolStrideW = 20;

    public static string Build(GraphBuilder b, string os16, string skip, int mid, int classes)
    {
        using IDisposable scope = b.Scope("head");
        string a = ConvBnAct.Build(b, os16, new ConvLayerNames("branch.conv", "branch.bn", "branch.act", "decoder._1x1_TL.conv", "decoder._1x1_TL.bn"), mid, 1);
        string g = b.AvgPool("pool", os16, PoolWindow, (PoolStrideH, PoolStrideW), countIncludePad: false, clampWindow: true);
        g = b.Conv("gate_conv", g, mid, 1, bias: true, external: "decoder._1x1_BL");
        g = b.Activation("sigmoid", g, ActivationFunction.Sigmoid);
        g = b.ResizeLike("gate_resize", g, os16, ResizeMode.Bilinear);
        string gated = b.Mul("gated", a, g);
        string up = b.Resize("up2", gated, ResizeMode.Bilinear, 2);
        string main = b.Conv("classifier", up, classes, 1, bias: true, external: "decoder._1x1_TR");
        string side = b.Conv("skip_classifier", skip, classes, 1, bias: true, external: "decoder._1x1_BR");
        string sum = b.Add("sum", main, side);
        return b.Resize("up8", sum, ResizeMode.Bilinear, 8, alignCorners: true);
    }
}
