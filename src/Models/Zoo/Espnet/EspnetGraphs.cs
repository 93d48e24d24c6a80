using Nas.Core;
using Nas.Core.Genotypes;
using Nas.Core.Graphs;
using Nas.Models.Registry;

namespace Nas.Models.Zoo.Espnet;

/// <summary>
/// ESPNet and ESPNet-C as in the official code (sacmehta/ESPNet <c>test/Model.py</c> @ afe71c3; docs/zoo/espnet.md):
/// <c>ESPNet_Encoder(classes, p, q)</c> and <c>ESPNet(classes, p, q)</c> with PReLU, BatchNorm eps 1e-3, the
/// input-projection average pools, the strided and residual ESP blocks with hierarchical fusion, and ESPNet's light
/// decoder (1×1 projection, BatchNorm, 2×2 transposed convolutions, the ESP block without residual, the final
/// 3×3 CBR on the level-1 features). Node names are the official module paths, so the official files load by name.
/// ESPNet-C ends in a ×8 bilinear upsampling with aligned corners to the input size (the official inference,
/// <c>test/VisualizeResults.py</c>, written for PyTorch 0.3, whose bilinear upsampling aligned corners); it has no
/// tensors. Option <c>stage=encoder</c> of <c>espnet</c> is ESPNet-C named as inside ESPNet (<c>encoder.</c> +
/// official ESPNet-C path, which is its external name), so its checkpoint initialises ESPNet's encoder by name.
/// </summary>
public static class EspnetGraphs
{
    public const string Family = "espnet";
    public const string EncoderStage = "encoder";
    public const string FullStage = "full";

    /// <summary>The official files' class count: the 19 Cityscapes classes and the one the official training maps ignored pixels to.</summary>
    public const int OfficialClasses = 20;

    private const double Eps = 1e-3;

    /// <summary>Input convention of the official code: OpenCV BGR, (x − mean) / std on the 0–255 scale, then /255 (VisualizeResults.py, train/Transforms.py).</summary>
    public static InputConvention OfficialInput { get; } =
        new([72.3923111f / 255, 82.90893555f / 255, 73.15840149f / 255], [45.3192215f, 46.15289307f, 44.91483307f]) { Channels = ChannelOrder.Bgr };

    /// <summary>ESPNet's size rule; ESPNet-C takes any size (its output is upsampled to the input size).</summary>
    public static InputSizeRule SizeRule { get; } = InputSizeRule.MultipleOf(8, "the decoder's 2x transposed convolutions must meet the encoder's 1/4 and 1/2 features");

    public static ModelEntry Entry() =>
        new("espnet", Family, "ESPNet (official sacmehta/ESPNet test/Model.py): ESP blocks, light decoder; options p, q, stage=encoder", OfficialClasses, Build)
        {
            Options = ["p=2", "q=8", "stage=full|encoder"],
            WeightFiles = ["espnet_p_2_q_8.pth"],
            PublishedResult = "Cityscapes test class mIoU 60.34 % (official README)",
            PublishedParameters = 364_569, // the trainable tensors of the official espnet_p_2_q_8.pth
            ExampleInput = (64, 96),
        };

    public static ModelEntry EncoderEntry() =>
        new("espnet-c", Family, "ESPNet-C (official ESPNet_Encoder), 1/8 logits upsampled x8; options p, q", OfficialClasses, BuildEncoder)
        {
            Options = ["p=2", "q=8"],
            WeightFiles = ["espnet_c_p_2_q_8.pth"],
            PublishedParameters = 349_449, // the trainable tensors of the official espnet_c_p_2_q_8.pth
            ExampleInput = (60, 92),
        };

    private static NetworkSpec Build(ModelRequest r)
    {
        r.AllowOnly("p", "q", "stage");
        int p = r.Int("p", 2, 1, 64), q = r.Int("q", 8, 1, 64);
        if (r.Choice("stage", FullStage, FullStage, EncoderStage) == EncoderStage)
        {
            return EncoderSpec(r, p, q, "encoder.");
        }

        if (r.Classes < 5)
        {
            throw new NasException($"model '{r.Model}': the decoder's ESP block splits the class channels into 5 branches, so it needs at least 5 classes (got {r.Classes})");
        }

        var b = new GraphBuilder(r.Model);
        string image = b.Input("input", 3);
        var names = new Names("encoder.", null);
        EncoderFeatures f = Encoder(b, image, r.Classes, p, q, names);
        int c = r.Classes;

        // output2_c = up_l3(br(encoder.classifier(output2_cat)))
        string x = b.BatchNorm("br", f.Classifier, Eps);
        x = b.ConvTranspose("up_l3.0", x, c, 2, 2);
        b.Part("br", "BN");
        b.Part("up_l3", "deconv 2x2/2");

        // output1_C = level3_C(output1_cat); comb = up_l2(combine_l2_l3(cat[output1_C, output2_c]))
        string level3C = b.Conv("level3_C.conv", f.Output1Cat, c, 1);
        b.Part("level3_C", "conv 1x1");
        x = b.Concat("combine_l2_l3.cat", level3C, x);
        x = Br(b, "combine_l2_l3.0", x, Names.Own);
        x = Esp(b, "combine_l2_l3.1", x, c, downsample: false, residual: false, Names.Own);
        b.Part("combine_l2_l3", $"BR + ESP {2 * c}->{c}");
        x = b.ConvTranspose("up_l2.0", x, c, 2, 2);
        x = Br(b, "up_l2.1", x, Names.Own);
        b.Part("up_l2", "deconv 2x2/2 + BR", 1);

        // classifier(conv(cat[comb, output0]))
        x = b.Concat("conv.cat", x, f.Output0);
        x = Cbr(b, "conv", x, c, 3, 1, Names.Own);
        b.Part("conv", "cat + CBR 3x3", 1);
        x = b.ConvTranspose("classifier", x, c, 2, 2);
        b.Part("classifier", "deconv 2x2/2", 1);
        b.Output("logits", x);

        string[] encoder = [.. EncoderModules(), "classifier."];
        return new NetworkSpec
        {
            Name = r.Model,
            Architecture = ArchitectureReference.ForModel(r.Model, r.Options),
            Graph = b.Build(),
            Classes = c,
            Input = OfficialInput,
            InputSize = SizeRule,
            Family = Family,
            // Every decoder layer has C channels, so all of them start afresh for another class count.
            ClassifierPrefixes = ["encoder.classifier.", "level3_C.", "br.", "conv.", "up_l3.", "combine_l2_l3.", "up_l2.", "classifier."],
            EncoderPrefixes = encoder.Where(m => m != "classifier.").Select(m => "encoder." + m).ToArray(),
        };
    }

    private static NetworkSpec BuildEncoder(ModelRequest r)
    {
        r.AllowOnly("p", "q");
        return EncoderSpec(r, r.Int("p", 2, 1, 64), r.Int("q", 8, 1, 64), string.Empty);
    }

    /// <summary>ESPNet-C; with <paramref name="prefix"/> <c>encoder.</c> its nodes are named as in ESPNet and the official ESPNet-C paths become their external names.</summary>
    private static NetworkSpec EncoderSpec(ModelRequest r, int p, int q, string prefix)
    {
        var b = new GraphBuilder(prefix.Length == 0 ? r.Model : $"{r.Model}-encoder");
        string image = b.Input("input", 3);
        EncoderFeatures f = Encoder(b, image, r.Classes, p, q, new Names(prefix, prefix.Length == 0 ? null : string.Empty));
        string up = b.ResizeLike(prefix + "classifier.up", f.Classifier, image, ResizeMode.Bilinear, alignCorners: true);
        b.Output("logits", up);
        return new NetworkSpec
        {
            Name = r.Model,
            Architecture = ArchitectureReference.ForModel(r.Model, r.Options),
            Graph = b.Build(),
            Classes = r.Classes,
            Input = OfficialInput,
            Family = Family,
            ClassifierPrefixes = [prefix + "classifier."],
            EncoderPrefixes = EncoderModules().Select(m => prefix + m).ToArray(),
        };
    }

    /// <summary>The modules of ESPNet-C before its classifier (tensor-name prefixes).</summary>
    private static string[] EncoderModules() => ["level1.", "b1.", "level2_0.", "level2.", "b2.", "level3_0.", "level3.", "b3."];

    private static EncoderFeatures Encoder(GraphBuilder b, string image, int classes, int p, int q, Names n)
    {
        string output0 = Cbr(b, n.Node("level1"), image, 16, 3, 2, n);
        b.Part(n.Node("level1"), "CBR 3x3/2", 2);
        string inp1 = InputProjection(b, n.Node("sample1"), image, 1);
        b.Part(n.Node("sample1"), "avg-pool 3x3/2", 2);
        string inp2 = InputProjection(b, n.Node("sample2"), image, 2);
        b.Part(n.Node("sample2"), "2 x avg-pool 3x3/2", 4);

        string output0Cat = Br(b, n.Node("b1"), b.Concat(n.Node("b1.cat"), output0, inp1), n);
        b.Part(n.Node("b1"), "cat + BR", 1);
        string output10 = Esp(b, n.Node("level2_0"), output0Cat, 64, downsample: true, residual: false, n);
        b.Part(n.Node("level2_0"), "ESP 3x3/2 (down)", 2);
        string output1 = output10;
        for (int i = 0; i < p; i++)
        {
            output1 = Esp(b, n.Node($"level2.{i}"), output1, 64, downsample: false, residual: true, n);
        }

        b.Part(n.Node("level2"), $"{p} x ESP (residual)", 1);
        string output1Cat = Br(b, n.Node("b2"), b.Concat(n.Node("b2.cat"), output1, output10, inp2), n);
        b.Part(n.Node("b2"), "cat + BR", 1);
        string output20 = Esp(b, n.Node("level3_0"), output1Cat, 128, downsample: true, residual: false, n);
        b.Part(n.Node("level3_0"), "ESP 3x3/2 (down)", 2);
        string output2 = output20;
        for (int i = 0; i < q; i++)
        {
            output2 = Esp(b, n.Node($"level3.{i}"), output2, 128, downsample: false, residual: true, n);
        }

        b.Part(n.Node("level3"), $"{q} x ESP (residual)", 1);
        string output2Cat = Br(b, n.Node("b3"), b.Concat(n.Node("b3.cat"), output20, output2), n);
        b.Part(n.Node("b3"), "cat + BR", 1);
        string classifier = b.Conv(n.Node("classifier.conv"), output2Cat, classes, 1, external: n.External("classifier.conv"));
        b.Part(n.Node("classifier"), "conv 1x1", 1);
        return new EncoderFeatures(output0, output1Cat, classifier);
    }

    /// <summary>
    /// <c>DownSamplerB</c> (strided, BN + PReLU over the fused maps) or <c>DilatedParllelResidualBlockB</c> (1×1
    /// reduction, optional residual, <c>bn</c> = BR): n = out/5 channels per branch, n1 = out − 4n for the d=1 branch,
    /// fused hierarchically as cat[d1, d2, d2+d4, d2+d4+d8, d2+d4+d8+d16].
    /// </summary>
    private static string Esp(GraphBuilder b, string name, string x, int outChannels, bool downsample, bool residual, Names n)
    {
        int c = outChannels / 5, c1 = outChannels - (4 * c);
        string reduced = downsample
            ? b.Conv($"{name}.c1.conv", x, c, 3, 2, 1, external: n.External($"{name}.c1.conv"))
            : b.Conv($"{name}.c1.conv", x, c, 1, external: n.External($"{name}.c1.conv"));
        string d1 = Dilated(b, $"{name}.d1", reduced, c1, 1, n);
        string d2 = Dilated(b, $"{name}.d2", reduced, c, 2, n);
        string d4 = Dilated(b, $"{name}.d4", reduced, c, 4, n);
        string d8 = Dilated(b, $"{name}.d8", reduced, c, 8, n);
        string d16 = Dilated(b, $"{name}.d16", reduced, c, 16, n);
        string add2 = b.Add($"{name}.add2", d2, d4);
        string add3 = b.Add($"{name}.add3", add2, d8);
        string add4 = b.Add($"{name}.add4", add3, d16);
        string combine = b.Concat($"{name}.cat", d1, d2, add2, add3, add4);
        if (residual)
        {
            combine = b.Add($"{name}.residual", x, combine);
        }

        if (downsample)
        {
            string y = b.BatchNorm($"{name}.bn", combine, Eps, external: n.External($"{name}.bn"));
            return b.PRelu($"{name}.act", y, outChannels, n.External($"{name}.act"));
        }

        return Br(b, $"{name}.bn", combine, n);
    }

    private static string Dilated(GraphBuilder b, string name, string x, int outChannels, int dilation, Names n) =>
        b.Conv($"{name}.conv", x, outChannels, 3, 1, dilation, dilation, external: n.External($"{name}.conv"));

    /// <summary><c>CBR</c>: conv k×k (stride s, padding (k−1)/2, no bias) → BN → PReLU.</summary>
    private static string Cbr(GraphBuilder b, string name, string x, int outChannels, int kernel, int stride, Names n)
    {
        string y = b.Conv($"{name}.conv", x, outChannels, kernel, stride, (kernel - 1) / 2, external: n.External($"{name}.conv"));
        y = b.BatchNorm($"{name}.bn", y, Eps, external: n.External($"{name}.bn"));
        return b.PRelu($"{name}.act", y, outChannels, n.External($"{name}.act"));
    }

    /// <summary><c>BR</c>: BN → PReLU.</summary>
    private static string Br(GraphBuilder b, string name, string x, Names n)
    {
        string y = b.BatchNorm($"{name}.bn", x, Eps, external: n.External($"{name}.bn"));
        return b.PRelu($"{name}.act", y, b.Channels(x), n.External($"{name}.act"));
    }

    /// <summary><c>InputProjectionA</c>: <paramref name="times"/> × AvgPool2d(3, stride 2, padding 1) (count_include_pad, floor).</summary>
    private static string InputProjection(GraphBuilder b, string name, string x, int times)
    {
        for (int i = 0; i < times; i++)
        {
            x = b.AvgPool($"{name}.pool.{i}", x, 3, 2, 1, ceilMode: false, countIncludePad: true);
        }

        return x;
    }

    private sealed record EncoderFeatures(string Output0, string Output1Cat, string Classifier);

    /// <summary>Node names (<see cref="Prefix"/> + official path) and external names (<see cref="ExternalPrefix"/> + official path, or none).</summary>
    private sealed record Names(string Prefix, string? ExternalPrefix)
    {
        public static Names Own { get; } = new(string.Empty, null);

        public string Node(string path) => Prefix + path;

        /// <summary>The external name of a node whose (prefixed) name is <paramref name="node"/>.</summary>
        public string? External(string node) =>
            ExternalPrefix is null ? null : ExternalPrefix + (node.StartsWith(Prefix, StringComparison.Ordinal) ? node[Prefix.Length..] : node);
    }
}
