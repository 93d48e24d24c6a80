using Nas.Core.Genotypes;
using Nas.Core.Graphs;
using Nas.Core.Graphs.Blocks;
using Nas.Models.Registry;

namespace Nas.Models.Zoo.Torchvision;

/// <summary>
/// torchvision's DeepLabV3 (<c>segmentation/deeplabv3.py</c>) with its FCN auxiliary head (<c>fcn.py</c>), on ResNet-50
/// with <c>replace_stride_with_dilation=[False, True, True]</c> (out = <c>layer4</c>, aux = <c>layer3</c>, both OS8) or on
/// the dilated MobileNetV3-Large (out = <c>features[16]</c> at OS16, aux = <c>features[4]</c> at OS8).
/// <c>classifier</c> = <c>DeepLabHead</c>: ASPP (<c>convs.0</c> 1×1, <c>convs.1–3</c> 3×3 at rates 12/24/36,
/// <c>convs.4</c> global pool + 1×1 + BN + ReLU resized bilinearly to the feature size; concatenated in that order;
/// <c>project</c> 1×1 + BN + ReLU + dropout 0.5), then 3×3 conv + BN + ReLU and the 1×1 classifier <c>classifier.4</c>.
/// <c>aux_classifier</c> = <c>FCNHead</c>: 3×3 conv to in/4 + BN + ReLU + dropout 0.1 + 1×1 classifier. Both outputs
/// are resized bilinearly (align_corners=False) to the input size; the auxiliary one is a training-only output with
/// loss weight 0.5 (torchvision's reference trainer), dropped for inference and export. Head BatchNorms use PyTorch's
/// defaults. Option <c>aux=false</c> builds the network without the auxiliary head.
/// </summary>
public static class DeepLabV3Graphs
{
    public const string Family = "deeplabv3";
    public const int AsppChannels = 256;
    public const double AuxLossWeight = 0.5;

    public static IReadOnlyList<int> AtrousRates { get; } = [12, 24, 36];

    public static IReadOnlyList<string> ClassifierPrefixes(bool aux) => aux ? ["classifier.4.", "aux_classifier.4."] : ["classifier.4."];

    public static LayerGraph ResNet50(string name, int classes, bool aux)
    {
        var b = new GraphBuilder(name);
        string image = b.Input("input", 3);
        IReadOnlyList<string> layers = ResNetFeatures.Build(b, image, ResNetFeatures.Resnet50Blocks, [false, true, true]);
        return Heads(b, image, layers[3], aux ? layers[2] : null, classes);
    }

    public static LayerGraph MobileNetV3Large(string name, int classes, bool aux)
    {
        var b = new GraphBuilder(name);
        string image = b.Input("input", 3);
        IReadOnlyList<MobileNetV3Block> blocks = MobileNetV3Features.Large(dilated: true);
        IReadOnlyList<string> features = MobileNetV3Features.Build(b, image, blocks);
        (int auxTap, int outTap) = MobileNetV3Features.Taps(blocks);
        return Heads(b, image, features[outTap], aux ? features[auxTap] : null, classes);
    }

    public static NetworkSpec Spec(ModelRequest request, Func<string, int, bool, LayerGraph> graph)
    {
        request.AllowOnly("aux");
        bool aux = request.Bool("aux", true);
        return new NetworkSpec
        {
            Name = request.Model,
            Architecture = ArchitectureReference.ForModel(request.Model, request.Options),
            Graph = graph(request.Model, request.Classes, aux),
            Classes = request.Classes,
            ClassifierPrefixes = ClassifierPrefixes(aux),
            EncoderPrefixes = ["backbone."],
            Family = Family,
        };
    }

    private static LayerGraph Heads(GraphBuilder b, string image, string features, string? auxFeatures, int classes)
    {
        string logits;
        using (b.Scope("classifier"))
        {
            logits = DeepLabHead(b, features, classes);
        }

        b.Part("classifier", $"deeplab head: aspp {string.Join('/', AtrousRates)} {AsppChannels} -> {classes}", 1);
        b.Output("logits", b.ResizeLike("upsample", logits, image, ResizeMode.Bilinear));
        b.Part("upsample", "bilinear resize to the input", 1);
        if (auxFeatures is not null)
        {
            string aux;
            using (b.Scope("aux_classifier"))
            {
                aux = FcnHead(b, auxFeatures, classes);
            }

            b.Part("aux_classifier", $"fcn head (auxiliary) {b.Channels(auxFeatures)} -> {b.Channels(auxFeatures) / 4} -> {classes}", 1);
            b.Output("aux", b.ResizeLike("aux_upsample", aux, image, ResizeMode.Bilinear), OutputRole.Auxiliary, AuxLossWeight);
            b.Part("aux_upsample", "bilinear resize to the input (auxiliary)", 1);
        }

        return b.Build();
    }

    /// <summary><c>DeepLabHead</c>: <c>0</c> = ASPP, <c>1</c> 3×3 conv, <c>2</c> BN, <c>3</c> ReLU, <c>4</c> the classifier.</summary>
    private static string DeepLabHead(GraphBuilder b, string x, int classes)
    {
        string[] branches = new string[AtrousRates.Count + 2];
        using (b.Scope("0"))
        {
            branches[0] = ConvBnAct.Build(b, x, ConvLayerNames.Sequential("convs.0"), AsppChannels, 1);
            for (int i = 0; i < AtrousRates.Count; i++)
            {
                int rate = AtrousRates[i];
                branches[i + 1] = ConvBnAct.Build(b, x, ConvLayerNames.Sequential($"convs.{i + 1}"), AsppChannels, 3, padding: rate, dilation: rate);
            }

            string pooling = $"convs.{AtrousRates.Count + 1}";
            string p = b.GlobalAvgPool($"{pooling}.0", x);
            p = ConvBnAct.Build(b, p, new ConvLayerNames($"{pooling}.1", $"{pooling}.2", $"{pooling}.3"), AsppChannels, 1);
            branches[^1] = b.ResizeLike($"{pooling}.resize", p, x, ResizeMode.Bilinear);
            string y = b.Concat("cat", branches);
            y = ConvBnAct.Build(b, y, ConvLayerNames.Sequential("project"), AsppChannels, 1);
            x = b.Dropout("project.3", y, 0.5);
        }

        x = ConvBnAct.Build(b, x, new ConvLayerNames("1", "2", "3"), AsppChannels, 3, padding: 1);
        return b.Conv("4", x, classes, 1, bias: true);
    }

    /// <summary><c>FCNHead</c>: <c>0</c> 3×3 conv to in/4, <c>1</c> BN, <c>2</c> ReLU, <c>3</c> dropout 0.1, <c>4</c> the classifier.</summary>
    private static string FcnHead(GraphBuilder b, string x, int classes)
    {
        string y = ConvBnAct.Build(b, x, new ConvLayerNames("0", "1", "2"), b.Channels(x) / 4, 3, padding: 1);
        y = b.Dropout("3", y, 0.1);
        return b.Conv("4", y, classes, 1, bias: true);
    }
}
