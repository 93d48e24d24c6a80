using Nas.Core.Genotypes;
using Nas.Core.Graphs;
using Nas.Models.Registry;

namespace Nas.Models.Zoo.Enet;

/// <summary>
/// ENet (docs/zoo/enet.md). <c>enet</c> is the paper's network as its authors wrote it (e-lab/ENet-training
/// <c>encoder.lua</c> + <c>decoder.lua</c>): initial block (3×3/2 conv ‖ 2×2 max-pool), bottlenecks with internal width
/// out/4, per-channel PReLU, BN eps 1e-3, asymmetric (1,5)→(5,1) and dilated 3×3 convolutions, spatial dropout
/// 0.01/0.1 in training, downsampling by max-pooling with indices plus zero channels, a ReLU decoder that max-unpools
/// with those indices, and a final 2×2/2 transposed convolution. <c>enet-relu-deconv</c> is the embedded tutorial's
/// variant layer for layer (695kede/xilinx-edge-ai <c>DNNDK/enet/float.prototxt</c>): ReLU everywhere, no dropout,
/// Caffe's 3×3/2 ceil-mode pooling, a 1×1 conv instead of channel padding, and a fixed ×2 bilinear upsampling of the
/// decoder shortcut instead of unpooling. Names follow the paper's Table 1 (<c>initial</c>, <c>bottleneck2_3</c>, with
/// <c>proj</c>, <c>conv</c>, <c>expand</c>, <c>shortcut</c>, <c>act</c> inside; <c>fullconv</c>). Option
/// <c>stage=encoder</c> keeps the encoder and ends in the reference's encoder head: <c>encoder_classifier</c> (1×1
/// conv, then a parameter-free ×8 bilinear upsampling) for <c>enet</c>, <c>encoder_head</c> (8×8/8 transposed conv)
/// for <c>enet-relu-deconv</c>; every other tensor keeps its name, so the encoder checkpoint initialises the full network.
/// </summary>
public static class EnetGraphs
{
    public const string Family = "enet";
    public const string EncoderStage = "encoder";
    public const string FullStage = "full";

    /// <summary>Stages 2 and 3 of the encoder: (index, kind, dilation or asymmetric kernel).</summary>
    private static readonly (int Index, Kind Kind, int Option)[] s_stage =
    [
        (1, Kind.Regular, 0), (2, Kind.Dilated, 2), (3, Kind.Asymmetric, 5), (4, Kind.Dilated, 4),
        (5, Kind.Regular, 0), (6, Kind.Dilated, 8), (7, Kind.Asymmetric, 5), (8, Kind.Dilated, 16),
    ];

    private enum Kind
    {
        Regular,
        Dilated,
        Asymmetric,
    }

    /// <summary>e-lab's input: RGB scaled to [0, 1] with no mean/std (loadCityscape.lua only prints the statistics).</summary>
    public static InputConvention PaperInput { get; } = new([0f, 0f, 0f], [1f, 1f, 1f]);

    /// <summary>The tutorial's Caffe input: BGR, (x − [73, 82, 72]) · 0.022 (<c>transform_param</c>).</summary>
    public static InputConvention TutorialInput { get; } = new([73f, 82f, 72f], [1f / 0.022f, 1f / 0.022f, 1f / 0.022f])
    {
        Channels = ChannelOrder.Bgr,
        Scale = 1f,
    };

    public static InputSizeRule SizeRule { get; } = InputSizeRule.MultipleOf(8, "three 2x downsamplings that the decoder must undo exactly");

    public static ModelEntry Entry() =>
        new("enet", Family, "ENet (paper; authors' e-lab code): PReLU, max-unpooling, spatial dropout; option stage=encoder", 19, r => Build(r, tutorial: false))
        {
            Options = ["stage=full|encoder"],
            PublishedResult = "Cityscapes test class IoU 58.3 % (ENet paper, Table 3)",
            ExampleInput = (64, 96),
        };

    public static ModelEntry ReluDeconvEntry() =>
        new("enet-relu-deconv", Family, "ENet, the embedded tutorial's variant: ReLU, deconvolution instead of unpooling, no dropout; option stage=encoder", 19, r => Build(r, tutorial: true))
        {
            Options = ["stage=full|encoder"],
            // The tutorial's float.caffemodel holds 377,474 values, 1,280 of them the fixed bilinear kernels.
            PublishedParameters = 376_194,
            ExampleInput = (64, 96),
        };

    private static NetworkSpec Build(ModelRequest r, bool tutorial)
    {
        r.AllowOnly("stage");
        bool encoderOnly = r.Choice("stage", FullStage, FullStage, EncoderStage) == EncoderStage;
        var b = new GraphBuilder(encoderOnly ? $"{r.Model}-encoder" : r.Model);
        string image = b.Input("input", 3);
        string x = tutorial ? TutorialInitial(b, image) : PaperInitial(b, image);
        b.Part("initial", "conv 3x3/2 | max-pool", 2);
        string stage1Input = x;
        (x, string? indices1) = tutorial ? TutorialDown(b, "bottleneck1_0", x, 64) : PaperEncoder(b, "bottleneck1_0", x, 64, Kind.Regular, 0, true, 0.01);
        b.Part("bottleneck1_0", "down", 2);
        for (int i = 1; i <= 4; i++)
        {
            x = tutorial ? TutorialRegular(b, $"bottleneck1_{i}", x, Kind.Regular, 0) : PaperEncoder(b, $"bottleneck1_{i}", x, 64, Kind.Regular, 0, false, 0.01).Output;
            b.Part($"bottleneck1_{i}", "regular", 1);
        }

        string stage2Input = x;
        (x, string? indices2) = tutorial ? TutorialDown(b, "bottleneck2_0", x, 128) : PaperEncoder(b, "bottleneck2_0", x, 128, Kind.Regular, 0, true, 0.1);
        b.Part("bottleneck2_0", "down", 2);
        foreach (int stage in new[] { 2, 3 })
        {
            foreach ((int index, Kind kind, int option) in s_stage)
            {
                string name = $"bottleneck{stage}_{index}";
                x = tutorial ? TutorialRegular(b, name, x, kind, option) : PaperEncoder(b, name, x, 128, kind, option, false, 0.1).Output;
                b.Part(name, Describe(kind, option), 1);
            }
        }

        string[] encoder = ["initial.", "bottleneck1_", "bottleneck2_", "bottleneck3_"];
        string classifier;
        if (encoderOnly)
        {
            if (tutorial)
            {
                classifier = "encoder_head";
                x = b.ConvTranspose(classifier, x, r.Classes, 8, 8, bias: true);
                b.Part(classifier, "deconv 8x8/8", 1);
            }
            else
            {
                classifier = "encoder_classifier";
                x = b.Conv(classifier, x, r.Classes, 1, bias: true);
                x = b.ResizeLike("encoder_classifier.up", x, image, ResizeMode.Bilinear);
                b.Part(classifier, "conv 1x1 + bilinear x8", 1);
            }
        }
        else
        {
            x = tutorial ? TutorialUp(b, "bottleneck4_0", x, 64) : PaperDecoder(b, "bottleneck4_0", x, 64, (indices2!, stage2Input));
            b.Part("bottleneck4_0", tutorial ? "up (deconv)" : "up (unpool)", 1);
            for (int i = 1; i <= 2; i++)
            {
                x = tutorial ? TutorialRegular(b, $"bottleneck4_{i}", x, Kind.Regular, 0) : PaperDecoder(b, $"bottleneck4_{i}", x, 64, null);
                b.Part($"bottleneck4_{i}", "regular", 1);
            }

            x = tutorial ? TutorialUp(b, "bottleneck5_0", x, 16) : PaperDecoder(b, "bottleneck5_0", x, 16, (indices1!, stage1Input));
            b.Part("bottleneck5_0", tutorial ? "up (deconv)" : "up (unpool)", 1);
            x = tutorial ? TutorialRegular(b, "bottleneck5_1", x, Kind.Regular, 0) : PaperDecoder(b, "bottleneck5_1", x, 16, null);
            b.Part("bottleneck5_1", "regular", 1);
            classifier = "fullconv";
            x = b.ConvTranspose(classifier, x, r.Classes, 2, 2, bias: true);
            b.Part(classifier, "deconv 2x2/2", 1);
        }

        b.Output("logits", x);
        return new NetworkSpec
        {
            Name = r.Model,
            Architecture = ArchitectureReference.ForModel(r.Model, r.Options),
            Graph = b.Build(),
            Classes = r.Classes,
            Input = tutorial ? TutorialInput : PaperInput,
            InputSize = SizeRule,
            Family = Family,
            ClassifierPrefixes = [classifier + "."],
            EncoderPrefixes = encoder,
        };
    }

    private static string Describe(Kind kind, int option) => kind switch
    {
        Kind.Dilated => $"dilated {option}",
        Kind.Asymmetric => $"asymmetric {option}",
        _ => "regular",
    };

    // ------------------------------------------------------------------------------------------ paper (e-lab)
    private const double PaperEps = 1e-3;

    /// <summary>Initial block: cat[conv 3→13 3×3/2 (bias), max-pool 2×2/2] → BN → PReLU.</summary>
    private static string PaperInitial(GraphBuilder b, string image)
    {
        string conv = b.Conv("initial.conv", image, 13, 3, 2, 1, bias: true);
        string pool = b.MaxPool("initial.pool", image, 2, 2);
        string x = b.BatchNorm("initial.bn", b.Concat("initial.cat", conv, pool), PaperEps);
        return b.PRelu("initial.act", x, 16);
    }

    /// <summary>
    /// An encoder bottleneck: projection (1×1, or 2×2/2 when downsampling; no bias) + BN + PReLU, the main conv
    /// (+ bias) + BN + PReLU, 1×1 expansion + BN, spatial dropout; the shortcut is the identity, or max-pooling with
    /// indices followed by zero channels; add, PReLU. Returns the output and, when downsampling, the pooling indices.
    /// </summary>
    private static (string Output, string? Indices) PaperEncoder(GraphBuilder b, string name, string x, int outChannels, Kind kind, int option, bool downsample, double dropout)
    {
        int internalChannels = outChannels / 4, inChannels = b.Channels(x);
        int k = downsample ? 2 : 1;
        string y = b.Conv($"{name}.proj.conv", x, internalChannels, k, k);
        y = b.PRelu($"{name}.proj.act", b.BatchNorm($"{name}.proj.bn", y, PaperEps), internalChannels);
        y = kind switch
        {
            Kind.Dilated => b.Conv($"{name}.conv.conv", y, internalChannels, 3, 1, option, option, bias: true),
            // Torch SpatialConvolution(n, n, kW=5, kH=1, 1, 1, padW=2, padH=0), then (kW=1, kH=5) with a bias, nothing between.
            Kind.Asymmetric => b.Conv($"{name}.conv.conv2", b.Conv($"{name}.conv.conv1", y, internalChannels, new Pair(1, option), 1, new Pair(0, option / 2)),
                internalChannels, new Pair(option, 1), 1, new Pair(option / 2, 0), bias: true),
            _ => b.Conv($"{name}.conv.conv", y, internalChannels, 3, 1, 1, bias: true),
        };
        y = b.PRelu($"{name}.conv.act", b.BatchNorm($"{name}.conv.bn", y, PaperEps), internalChannels);
        y = b.BatchNorm($"{name}.expand.bn", b.Conv($"{name}.expand.conv", y, outChannels, 1), PaperEps);
        y = b.Dropout($"{name}.dropout", y, dropout, channelwise: true);

        string main = x;
        string? indices = null;
        if (downsample)
        {
            (main, indices) = b.MaxPoolWithIndices($"{name}.pool", x, 2, 2);
        }

        if (inChannels != outChannels)
        {
            main = b.Pad($"{name}.pad", main, channelsAfter: outChannels - inChannels);
        }

        return (b.PRelu($"{name}.act", b.Add($"{name}.add", main, y), outChannels), indices);
    }

    /// <summary>
    /// A decoder bottleneck (ReLU, no dropout): 1×1 projection + BN + ReLU, 3×3 conv or 3×3/2 transposed conv
    /// (padding 1, output padding 1; + bias) + BN + ReLU, 1×1 expansion + BN; the shortcut is the identity, or a
    /// 1×1 conv + BN max-unpooled with the paired encoder pooling's indices to that pooling's input size; add, ReLU.
    /// </summary>
    private static string PaperDecoder(GraphBuilder b, string name, string x, int outChannels, (string Indices, string Size)? unpool)
    {
        int internalChannels = outChannels / 4, inChannels = b.Channels(x);
        string y = b.Relu($"{name}.proj.relu", b.BatchNorm($"{name}.proj.bn", b.Conv($"{name}.proj.conv", x, internalChannels, 1), PaperEps));
        y = unpool is null
            ? b.Conv($"{name}.conv.conv", y, internalChannels, 3, 1, 1, bias: true)
            : b.ConvTranspose($"{name}.conv.deconv", y, internalChannels, 3, 2, 1, 1, bias: true);
        y = b.Relu($"{name}.conv.relu", b.BatchNorm($"{name}.conv.bn", y, PaperEps));
        y = b.BatchNorm($"{name}.expand.bn", b.Conv($"{name}.expand.conv", y, outChannels, 1), PaperEps);

        string main = x;
        if (inChannels != outChannels || unpool is not null)
        {
            main = b.BatchNorm($"{name}.shortcut.bn", b.Conv($"{name}.shortcut.conv", x, outChannels, 1), PaperEps);
            if (unpool is (string indices, string size))
            {
                main = b.MaxUnpool($"{name}.unpool", main, indices, size, 2, 2);
            }
        }

        return b.Relu($"{name}.relu", b.Add($"{name}.add", main, y));
    }

    // ------------------------------------------------------------------------------------------ tutorial (Caffe)
    private const double TutorialEps = 1e-5;

    /// <summary>Initial block: cat[conv 3→13 3×3/2 (no bias), max-pool 3×3/2 ceil] → BN → ReLU.</summary>
    private static string TutorialInitial(GraphBuilder b, string image)
    {
        string conv = b.Conv("initial.conv", image, 13, 3, 2, 1);
        string pool = b.MaxPool("initial.pool", image, 3, 2, ceilMode: true);
        return b.Relu("initial.relu", b.BatchNorm("initial.bn", b.Concat("initial.cat", conv, pool), TutorialEps));
    }

    /// <summary>Conv → BN → ReLU under <c>{name}.conv|bn|relu</c>.</summary>
    private static string Cbr(GraphBuilder b, string name, string x, int outChannels, Pair kernel, Pair? stride = null, Pair? padding = null, Pair? dilation = null) =>
        b.Relu($"{name}.relu", b.BatchNorm($"{name}.bn", b.Conv($"{name}.conv", x, outChannels, kernel, stride, padding, dilation), TutorialEps));

    /// <summary>Downsampling: shortcut max-pool 3×3/2 ceil + 1×1 conv (no BN); branch 2×2/2, 3×3, 1×1 each with BN + ReLU; add, ReLU.</summary>
    private static (string Output, string? Indices) TutorialDown(GraphBuilder b, string name, string x, int outChannels)
    {
        int internalChannels = outChannels / 4;
        string main = b.Conv($"{name}.shortcut.conv", b.MaxPool($"{name}.pool", x, 3, 2, ceilMode: true), outChannels, 1);
        string y = Cbr(b, $"{name}.proj", x, internalChannels, 2, 2);
        y = Cbr(b, $"{name}.conv", y, internalChannels, 3, 1, 1);
        y = Cbr(b, $"{name}.expand", y, outChannels, 1);
        return (b.Relu($"{name}.relu", b.Add($"{name}.add", main, y)), null);
    }

    /// <summary>Regular, dilated or asymmetric ((5,1) + BN + ReLU, then (1,5)) bottleneck, no bias, every conv with BN + ReLU; identity shortcut; add, ReLU.</summary>
    private static string TutorialRegular(GraphBuilder b, string name, string x, Kind kind, int option)
    {
        int channels = b.Channels(x), internalChannels = channels / 4;
        string y = Cbr(b, $"{name}.proj", x, internalChannels, 1);
        string conv = kind switch
        {
            Kind.Dilated => b.Conv($"{name}.conv.conv", y, internalChannels, 3, 1, option, option),
            Kind.Asymmetric => b.Conv($"{name}.conv.conv2",
                b.Relu($"{name}.conv.relu1", b.BatchNorm($"{name}.conv.bn1", b.Conv($"{name}.conv.conv1", y, internalChannels, new Pair(option, 1), 1, new Pair(option / 2, 0)), TutorialEps)),
                internalChannels, new Pair(1, option), 1, new Pair(0, option / 2)),
            _ => b.Conv($"{name}.conv.conv", y, internalChannels, 3, 1, 1),
        };
        y = b.Relu($"{name}.conv.relu", b.BatchNorm($"{name}.conv.bn", conv, TutorialEps));
        y = Cbr(b, $"{name}.expand", y, channels, 1);
        return b.Relu($"{name}.relu", b.Add($"{name}.add", x, y));
    }

    /// <summary>
    /// Upsampling: shortcut 1×1 conv + BN and the fixed ×2 bilinear deconvolution; branch (internal = in/4) 1×1, 2×2/2
    /// transposed conv (+ bias), 1×1, each with BN + ReLU; add, ReLU.
    /// </summary>
    private static string TutorialUp(GraphBuilder b, string name, string x, int outChannels)
    {
        int internalChannels = b.Channels(x) / 4;
        string shortcut = b.BatchNorm($"{name}.shortcut.bn", b.Conv($"{name}.shortcut.conv", x, outChannels, 1), TutorialEps);
        string y = Cbr(b, $"{name}.proj", x, internalChannels, 1);
        y = b.Relu($"{name}.conv.relu", b.BatchNorm($"{name}.conv.bn", b.ConvTranspose($"{name}.conv.deconv", y, internalChannels, 2, 2, bias: true), TutorialEps));
        y = Cbr(b, $"{name}.expand", y, outChannels, 1);
        string main = FixedBilinearUp(b, $"{name}.shortcut.up", shortcut, y);
        return b.Relu($"{name}.relu", b.Add($"{name}.add", main, y));
    }

    /// <summary>
    /// Caffe's fixed bilinear ×2 deconvolution (kernel 4, stride 2, padding 1, one group per channel, weights
    /// outer([¼, ¾, ¾, ¼]), <c>lr_mult 0</c>) computed exactly without tensors: out[2i] = ¾x[i] + ¼x[i−1],
    /// out[2i+1] = ¾x[i] + ¼x[i+1] with zeros outside the image, which is a half-pixel bilinear ×2 resize of the
    /// input padded by one zero on every side, cropped by two on every side (to <paramref name="sizeReference"/>, 2H×2W).
    /// </summary>
    private static string FixedBilinearUp(GraphBuilder b, string name, string x, string sizeReference)
    {
        string padded = b.Pad($"{name}.pad", x, 1, 1, 1, 1);
        string resized = b.Resize($"{name}.resize", padded, ResizeMode.Bilinear, 2);
        return b.CropLike(name, resized, sizeReference, 2, 2);
    }
}
