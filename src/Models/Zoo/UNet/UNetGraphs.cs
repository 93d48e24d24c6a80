using Nas.Core.Genotypes;
using Nas.Core.Graphs;
using Nas.Models.Registry;
using Nas.Models.Zoo.Caffe;
using static Nas.Models.Zoo.Caffe.CaffeLayers;

namespace Nas.Models.Zoo.UNet;

/// <summary>
/// <c>unet-full</c> and <c>unet-lite</c>: the Xilinx segmentation tutorial's U-Nets
/// (695kede/xilinx-edge-ai, <c>Segment/DNNDK/unet-{full,lite}/float.prototxt</c>), layer for layer
/// (docs/zoo/unet.md). Every 3×3 convolution is padded by 1 (the prototxts have no valid convolutions and no Crop
/// layers, so the skips need no cropping); BatchNorm only after the second convolution of d0–d3 and the first of d4;
/// the skips carry the raw convolution output <c>dNc</c> (before its BatchNorm and ReLU); the decoder concatenates
/// [upsampled, skip]. <c>unet-lite</c> halves every width, except that its u2 upsampling has 128 channels where
/// <c>unet-full</c>'s has 512. Node names are the sanitised Caffe layer names.
/// </summary>
public static class UNetGraphs
{
    public const string Family = "unet";
    public const string FullName = "unet-full";
    public const string LiteName = "unet-lite";
    public const int DefaultClasses = 19;

    /// <summary>Four 2×2/2 poolings whose inputs are concatenated with ×2 upsamplings of their outputs.</summary>
    public static InputSizeRule SizeRule { get; } = InputSizeRule.MultipleOf(16, "four 2x2/2 max-poolings whose inputs are concatenated with the x2 upsampled maps");

    public static IReadOnlyList<string> ClassifierPrefixes { get; } = ["conv_u0d_score_New."];

    /// <summary>The contracting path d0–d4.</summary>
    public static IReadOnlyList<string> EncoderPrefixes { get; } = ["conv_d", "BatchNorm_"];

    public static NetworkSpec Spec(ModelRequest request, bool lite)
    {
        request.AllowOnly();
        string name = lite ? LiteName : FullName;
        return new NetworkSpec
        {
            Name = name,
            Architecture = ArchitectureReference.ForModel(name, request.Options),
            Graph = Graph(request.Classes, lite),
            Classes = request.Classes,
            InputSize = SizeRule,
            ClassifierPrefixes = ClassifierPrefixes,
            EncoderPrefixes = EncoderPrefixes,
            Family = Family,
        };
    }

    public static LayerGraph Graph(int classes, bool lite)
    {
        int w = lite ? 32 : 64;
        var b = new GraphBuilder(lite ? LiteName : FullName);
        string x = b.Input("input", 3);
        var skips = new string[4];
        for (int level = 0; level < 4; level++)
        {
            using (b.Group($"d{level}", level == 0 ? $"conv 3x3 x2 ({w << level}), BN" : $"max-pool 2x2/2, conv 3x3 x2 ({w << level}), BN", level == 0 ? 1 : 2))
            {
                if (level > 0)
                {
                    x = MaxPool(b, $"pool_d{level - 1}c-{level}a", x, 2, 2);
                }

                x = Conv(b, $"conv_d{level}a-b", x, w << level, 3, pad: 1);
                x = Relu(b, $"relu_d{level}b", x);
                skips[level] = Conv(b, $"conv_d{level}b-c", x, w << level, 3, pad: 1);
                x = BatchNorm(b, level == 3 ? "BatchNorm_1" : $"BatchNorm_d{level}c", skips[level]);
                x = Relu(b, $"relu_d{level}c", x);
            }
        }

        using (b.Group("d4", $"max-pool 2x2/2, conv 3x3 ({16 * w}), BN, conv 3x3", 2))
        {
            x = MaxPool(b, "pool_d3c-4a", x, 2, 2);
            x = Conv(b, "conv_d4a-b", x, 16 * w, 3, pad: 1);
            x = Relu(b, "relu_d4b", BatchNorm(b, "BatchNorm_2", x));
            x = Relu(b, "relu_d4c", Conv(b, "conv_d4b-c", x, 16 * w, 3, pad: 1));
        }

        // (upconv, its output channels, convolution width, block suffix of the convolution names)
        (string Upconv, int Up, int Width, string Suffix)[] decoder =
        [
            ("upconv_d4c_u3a", 8 * w, 8 * w, string.Empty),
            ("upconv_u3d_u2a", lite ? 4 * w : 8 * w, 4 * w, string.Empty),
            ("upconv_u2d_u1a", 2 * w, 2 * w, string.Empty),
            ("upconv_u1d_u0a_NEW", w, w, "_New"),
        ];
        for (int i = 0; i < 4; i++)
        {
            int level = 3 - i;
            (string upconv, int up, int width, string suffix) = decoder[i];
            using (b.Group($"u{level}", $"deconv 2x2/2 ({up}), concat skip d{level}c, conv 3x3 x2 ({width})", 1))
            {
                string u = b.ConvTranspose(CaffeLayers.Name(upconv), x, up, 2, 2, bias: true);
                u = Relu(b, $"relu_u{level}a", u);
                u = b.Concat(CaffeLayers.Name($"concat_d{level}cc_u{level}a-b"), u, skips[level]);
                u = Relu(b, $"relu_u{level}c", Conv(b, $"conv_u{level}b-c{suffix}", u, width, 3, pad: 1));
                x = Relu(b, $"relu_u{level}d", Conv(b, $"conv_u{level}c-d{suffix}", u, width, 3, pad: 1));
            }
        }

        string logits;
        using (b.Group("score", $"conv 1x1 to {classes} classes", 1))
        {
            logits = Conv(b, "conv_u0d-score_New", x, classes, 1);
        }

        b.Output("logits", logits);
        return b.Build();
    }
}
