using Nas.Core.Genotypes;
using Nas.Core.Graphs;
using Nas.Core.Graphs.Blocks;
using Nas.Models.Registry;

namespace Nas.Models.Zoo.Torchvision;

/// <summary>
/// torchvision's Lite R-ASPP (<c>segmentation/lraspp.py</c>, <c>_lraspp_mobilenetv3</c>) on the dilated MobileNetV3
/// backbone (see <see cref="MobileNetV3Features"/>). Head <c>LRASPPHead(low, high, C, 128)</c>: <c>classifier.cbr</c>
/// (1×1 conv + BN + ReLU on the high tap), <c>classifier.scale</c> (global average pool, 1×1 conv, sigmoid), their
/// product resized bilinearly (align_corners=False) to the low tap's size, <c>classifier.high_classifier</c> of it plus
/// <c>classifier.low_classifier</c> of the low tap; the sum resized bilinearly to the input size. No auxiliary head,
/// no dropout. Keys are torchvision's (<c>backbone.N…</c>, <c>classifier.…</c>).
/// </summary>
public static class LrAsppGraphs
{
    public const string Family = "lraspp";
    public const int InterChannels = 128;

    public static IReadOnlyList<string> ClassifierPrefixes { get; } = ["classifier.low_classifier.", "classifier.high_classifier."];

    public static LayerGraph Graph(string name, IReadOnlyList<MobileNetV3Block> blocks, int classes)
    {
        var b = new GraphBuilder(name);
        string image = b.Input("input", 3);
        IReadOnlyList<string> features = MobileNetV3Features.Build(b, image, blocks);
        (int lowTap, int highTap) = MobileNetV3Features.Taps(blocks);
        string low = features[lowTap], high = features[highTap];
        string sum;
        using (b.Scope("classifier"))
        {
            string x = ConvBnAct.Build(b, high, ConvLayerNames.Sequential("cbr"), InterChannels, 1);
            string s = b.GlobalAvgPool("scale.0", high);
            s = b.Conv("scale.1", s, InterChannels, 1);
            s = b.Activation("scale.2", s, ActivationFunction.Sigmoid);
            x = b.Mul("gate", x, s);
            x = b.ResizeLike("resize", x, low, ResizeMode.Bilinear);
            string lowScores = b.Conv("low_classifier", low, classes, 1, bias: true);
            string highScores = b.Conv("high_classifier", x, classes, 1, bias: true);
            sum = b.Add("sum", lowScores, highScores);
        }

        b.Part("classifier", $"lr-aspp {InterChannels} (low {b.Channels(low)}, high {b.Channels(high)}) -> {classes}", 1);
        b.Output("logits", b.ResizeLike("upsample", sum, image, ResizeMode.Bilinear));
        b.Part("upsample", "bilinear resize to the input", 1);
        return b.Build();
    }

    public static NetworkSpec Spec(ModelRequest request, IReadOnlyList<MobileNetV3Block> blocks)
    {
        request.AllowOnly();
        return new NetworkSpec
        {
            Name = request.Model,
            Architecture = ArchitectureReference.ForModel(request.Model),
            Graph = Graph(request.Model, blocks, request.Classes),
            Classes = request.Classes,
            ClassifierPrefixes = ClassifierPrefixes,
            EncoderPrefixes = ["backbone."],
            Family = Family,
        };
    }
}
