using Nas.Core.Genotypes;
using Nas.Core.Graphs;
using Nas.Models.Registry;
using Nas.Models.Zoo.Caffe;
using static Nas.Models.Zoo.Caffe.CaffeLayers;

namespace Nas.Models.Zoo.Fpn;

/// <summary>
/// <c>fpn</c>: the Xilinx segmentation tutorial's FPN (695kede/xilinx-edge-ai, <c>Segment/DNNDK/FPN/float.prototxt</c>),
/// layer for layer (docs/zoo/fpn.md): a BatchNorm GoogLeNet (Inception v1, no LRN) whose 57 convolutions each have a
/// bias, the fork's BatchNorm and a ReLU, ceil-mode max pooling, and a 32-channel pyramid decoder without
/// normalisation or activations (1×1 laterals, learned 4×4/2 transposed convolutions, element-wise sums, 3×3
/// smoothing at P4 and P3) that ends in a 4×4/4 transposed convolution to the classes at full resolution. Node names
/// are the sanitised Caffe layer names.
/// </summary>
public static class FpnGraphs
{
    public const string Family = "fpn";
    public const string Name = "fpn";
    public const int DefaultClasses = 19;

    /// <summary>The inception modules: name and widths (1x1, 3x3_reduce, 3x3, 5x5_reduce, 5x5, pool_proj).</summary>
    private static readonly (string Name, int[] Widths)[] Modules =
    [
        ("3a", [64, 96, 128, 16, 32, 32]), ("3b", [128, 128, 192, 32, 96, 64]),
        ("4a", [192, 96, 208, 16, 48, 64]), ("4b", [160, 112, 224, 24, 64, 64]), ("4c", [128, 128, 256, 24, 64, 64]),
        ("4d", [112, 144, 288, 32, 64, 64]), ("4e", [256, 160, 320, 32, 128, 128]),
        ("5a", [256, 160, 320, 32, 128, 128]), ("5b", [384, 192, 384, 48, 128, 128]),
    ];

    /// <summary>Each ×2 transposed convolution meets a lateral map that a ceil-mode pooling halved; the last is ×4.</summary>
    public static InputSizeRule SizeRule { get; } = InputSizeRule.MultipleOf(32, "three exact x2 upsamplings meet ceil-mode-pooled laterals at 1/4, 1/8, 1/16, then x4 back to the input");

    /// <summary>The classifier (re-initialised for another class count): the last transposed convolution.</summary>
    public static IReadOnlyList<string> ClassifierPrefixes { get; } = ["toplayer_p2."];

    /// <summary>The GoogLeNet backbone.</summary>
    public static IReadOnlyList<string> EncoderPrefixes { get; } = ["conv1_", "conv2_", "inception_"];

    public static NetworkSpec Spec(ModelRequest request)
    {
        request.AllowOnly();
        return new NetworkSpec
        {
            Name = Name,
            Architecture = ArchitectureReference.ForModel(Name, request.Options),
            Graph = Graph(request.Classes),
            Classes = request.Classes,
            InputSize = SizeRule,
            ClassifierPrefixes = ClassifierPrefixes,
            EncoderPrefixes = EncoderPrefixes,
            Family = Family,
        };
    }

    public static LayerGraph Graph(int classes)
    {
        var b = new GraphBuilder(Name);
        string x = b.Input("input", 3);
        using (b.Group("conv1", "conv1 7x7/2 + BN + ReLU, max-pool 3x3/2", 4))
        {
            x = ConvBnRelu(b, "conv1/7x7_s2", "conv1/relu_7x7", x, 64, 7, 2, 3);
            x = MaxPool(b, "pool1/3x3_s2", x, 3, 2);
        }

        string c2;
        using (b.Group("conv2", "conv2 1x1 + 3x3, BN + ReLU", 1))
        {
            x = ConvBnRelu(b, "conv2/3x3_reduce", "conv2/relu_3x3_reduce", x, 64, 1);
            c2 = ConvBnRelu(b, "conv2/3x3", "conv2/relu_3x3", x, 192, 3, pad: 1);
        }

        x = Pool(b, "pool2/3x3_s2", c2);
        string c3 = string.Empty, c4 = string.Empty;
        foreach ((string module, int[] widths) in Modules)
        {
            if (module == "4a")
            {
                x = Pool(b, "pool3/3x3_s2", x);
            }
            else if (module == "5a")
            {
                x = Pool(b, "pool4/3x3_s2", x);
            }

            x = Inception(b, module, x, widths);
            c3 = module == "3b" ? x : c3;
            c4 = module == "4e" ? x : c4;
        }

        string p4, p3, logits;
        using (b.Group("p4", "P4: 1x1 laterals, deconv 4x4/2, sum, 3x3", 1))
        {
            string p5 = Conv(b, "p5", x, 32, 1);
            string lateral = Conv(b, "latlayer_4f", c4, 32, 1);
            string up = b.ConvTranspose(CaffeLayers.Name("upsample_p5"), p5, 32, 4, 2, 1);
            p4 = Conv(b, "toplayer_p4", b.Add(CaffeLayers.Name("add_p4"), up, lateral), 32, 3, pad: 1);
        }

        using (b.Group("p3", "P3: 1x1 lateral, deconv 4x4/2, sum, 3x3", 1))
        {
            string lateral = Conv(b, "latlayer_3d", c3, 32, 1);
            string up = b.ConvTranspose(CaffeLayers.Name("upsample_p4"), p4, 32, 4, 2, 1);
            p3 = Conv(b, "toplayer_p3", b.Add(CaffeLayers.Name("add_p3"), up, lateral), 32, 3, pad: 1);
        }

        string p2;
        using (b.Group("p2", "P2: 1x1 lateral, deconv 4x4/2, sum", 1))
        {
            string lateral = Conv(b, "latlayer_2c", c2, 32, 1);
            string up = b.ConvTranspose(CaffeLayers.Name("upsample_p3"), p3, 32, 4, 2, 1);
            p2 = b.Add(CaffeLayers.Name("add_p2"), up, lateral);
        }

        using (b.Group("classifier", $"deconv 4x4/4 to {classes} classes", 1))
        {
            logits = b.ConvTranspose(CaffeLayers.Name("toplayer_p2"), p2, classes, 4, 4, 0, bias: true);
        }

        b.Output("logits", logits);
        return b.Build();
    }

    private static string Pool(GraphBuilder b, string caffeLayer, string x)
    {
        using (b.Group(CaffeLayers.Name(caffeLayer), "max-pool 3x3/2 (ceil)", 2))
        {
            return MaxPool(b, caffeLayer, x, 3, 2);
        }
    }

    /// <summary>Convolution (bias) → <c>{conv}_BatchNorm</c> → ReLU, the backbone's unit.</summary>
    private static string ConvBnRelu(GraphBuilder b, string conv, string relu, string x, int outChannels, int kernel, int stride = 1, int pad = 0)
    {
        string y = Conv(b, conv, x, outChannels, kernel, stride, pad);
        return Relu(b, relu, BatchNorm(b, conv + "_BatchNorm", y));
    }

    /// <summary>An inception module: four branches on the input, concatenated in the order 1x1, 3x3, 5x5, pool.</summary>
    private static string Inception(GraphBuilder b, string module, string x, int[] w)
    {
        string p = $"inception_{module}/";
        using (b.Group($"inception_{module}", $"inception {module} ({w[0]}, {w[1]}>{w[2]}, {w[3]}>{w[4]}, pool>{w[5]})", 1))
        {
            string a = ConvBnRelu(b, p + "1x1", p + "relu_1x1", x, w[0], 1);
            string c = ConvBnRelu(b, p + "3x3_reduce", p + "relu_3x3_reduce", x, w[1], 1);
            c = ConvBnRelu(b, p + "3x3", p + "relu_3x3", c, w[2], 3, pad: 1);
            string d = ConvBnRelu(b, p + "5x5_reduce", p + "relu_5x5_reduce", x, w[3], 1);
            d = ConvBnRelu(b, p + "5x5", p + "relu_5x5", d, w[4], 5, pad: 2);
            string e = MaxPool(b, p + "pool", x, 3, 1, 1);
            e = ConvBnRelu(b, p + "pool_proj", p + "relu_pool_proj", e, w[5], 1);
            return b.Concat(CaffeLayers.Name(p + "output"), a, c, d, e);
        }
    }
}
