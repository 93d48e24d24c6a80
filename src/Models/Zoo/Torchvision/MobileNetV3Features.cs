using Nas.Core;
using Nas.Core.Graphs;
using Nas.Core.Graphs.Blocks;

namespace Nas.Models.Zoo.Torchvision;

/// <summary>
/// torchvision's <c>MobileNetV3.features</c> with <c>dilated=True</c> (the segmentation backbone): the stem
/// <c>0</c> (3×3/2 conv + BN + hard-swish), the inverted residuals <c>1…n</c> (<c>block.j</c> Sequential: optional 1×1
/// expansion, depthwise k×k, squeeze-excite with <c>_make_divisible(expanded // 4, 8)</c> squeeze channels and a
/// hard-sigmoid gate, 1×1 projection; residual when the configured stride is 1 and the widths are equal) and the last
/// 1×1 conv to 6 × the last width + BN + hard-swish. BatchNorm eps 0.001, momentum 0.01; no conv has a bias except the
/// SE's. Node names are the module paths under the given scope (<c>backbone.4.block.2.fc1</c>), which is what
/// <c>IntermediateLayerGetter</c> keeps.
/// </summary>
public static class MobileNetV3Features
{
    public const double BnEps = 0.001;
    public const double BnMomentum = 0.01;
    public const int StemChannels = 16;

    /// <summary>MobileNetV3-Large (<c>_mobilenet_v3_conf("mobilenet_v3_large", dilated=...)</c>, no reduced tail).</summary>
    public static IReadOnlyList<MobileNetV3Block> Large(bool dilated = true)
    {
        int d = dilated ? 2 : 1;
        return
        [
            new(16, 3, 16, 16, false, false, 1, 1),
            new(16, 3, 64, 24, false, false, 2, 1), // C1
            new(24, 3, 72, 24, false, false, 1, 1),
            new(24, 5, 72, 40, true, false, 2, 1), // C2
            new(40, 5, 120, 40, true, false, 1, 1),
            new(40, 5, 120, 40, true, false, 1, 1),
            new(40, 3, 240, 80, false, true, 2, 1), // C3
            new(80, 3, 200, 80, false, true, 1, 1),
            new(80, 3, 184, 80, false, true, 1, 1),
            new(80, 3, 184, 80, false, true, 1, 1),
            new(80, 3, 480, 112, true, true, 1, 1),
            new(112, 3, 672, 112, true, true, 1, 1),
            new(112, 5, 672, 160, true, true, 2, d), // C4
            new(160, 5, 960, 160, true, true, 1, d),
            new(160, 5, 960, 160, true, true, 1, d),
        ];
    }

    /// <summary>MobileNetV3-Small (<c>_mobilenet_v3_conf("mobilenet_v3_small", dilated=...)</c>, no reduced tail).</summary>
    public static IReadOnlyList<MobileNetV3Block> Small(bool dilated = true)
    {
        int d = dilated ? 2 : 1;
        return
        [
            new(16, 3, 16, 16, true, false, 2, 1), // C1
            new(16, 3, 72, 24, false, false, 2, 1), // C2
            new(24, 3, 88, 24, false, false, 1, 1),
            new(24, 5, 96, 40, true, true, 2, 1), // C3
            new(40, 5, 240, 40, true, true, 1, 1),
            new(40, 5, 240, 40, true, true, 1, 1),
            new(40, 5, 120, 48, true, true, 1, 1),
            new(48, 5, 144, 48, true, true, 1, 1),
            new(48, 5, 288, 96, true, true, 2, d), // C4
            new(96, 5, 576, 96, true, true, 1, d),
            new(96, 5, 576, 96, true, true, 1, d),
        ];
    }

    /// <summary>The squeeze width of a block's SE module: <c>_make_divisible(expanded // 4, 8)</c>.</summary>
    public static int SqueezeChannels(MobileNetV3Block block) => SqueezeExcite.MakeDivisible(block.Expanded / 4, 8);

    /// <summary>
    /// The segmentation taps, as <c>_lraspp_mobilenetv3</c> and <c>_deeplabv3_mobilenetv3</c> compute them:
    /// <c>stage_indices = [0] + [i for i, b in enumerate(features) if b._is_cn] + [len(features) - 1]</c>; the low (OS8)
    /// tap is <c>stage_indices[-4]</c>, the high (last) one <c>stage_indices[-1]</c>.
    /// </summary>
    public static (int Low, int High) Taps(IReadOnlyList<MobileNetV3Block> blocks)
    {
        int[] stages = [0, .. blocks.Select((blk, i) => (blk, i)).Where(t => t.blk.StartsStage).Select(t => t.i + 1), blocks.Count + 1];
        return (stages[^4], stages[^1]);
    }

    /// <summary>Writes <c>{scope}.0 … {scope}.{n+1}</c> and returns the output value of every index.</summary>
    public static IReadOnlyList<string> Build(GraphBuilder b, string x, IReadOnlyList<MobileNetV3Block> blocks, string scope = "backbone")
    {
        var outputs = new List<string>();
        using (b.Scope(scope))
        {
            x = ConvBnAct.Build(b, x, ConvLayerNames.Sequential("0"), StemChannels, 3, 2, 1, act: ActivationFunction.HardSwish, bnEps: BnEps, bnMomentum: BnMomentum);
            b.Part("0", $"conv 3x3/2 3->{StemChannels} hs", 2);
            outputs.Add(x);
            for (int i = 0; i < blocks.Count; i++)
            {
                MobileNetV3Block blk = blocks[i];
                if (b.Channels(x) != blk.In)
                {
                    throw new NasException($"MobileNetV3 block {i + 1} expects {blk.In} input channels, the previous layer gives {b.Channels(x)}");
                }

                var spec = new InvertedResidualSpec(blk.In, blk.Expanded, blk.Out, blk.Kernel, blk.DepthwiseStride, blk.Dilation)
                {
                    AlwaysExpand = false,
                    SeChannels = blk.SqueezeExcite ? SqueezeChannels(blk) : 0,
                    Activation = blk.HardSwish ? ActivationFunction.HardSwish : ActivationFunction.Relu,
                    BnEps = BnEps,
                    BnMomentum = BnMomentum,
                };
                string index = (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                using (b.Scope(index))
                {
                    x = InvertedResidual.Build(b, x, spec, InvertedResidualNames.Torchvision(spec));
                }

                b.Part(index, Label(blk), blk.DepthwiseStride);
                outputs.Add(x);
            }

            int last = 6 * blocks[^1].Out;
            string lastIndex = (blocks.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            x = ConvBnAct.Build(b, x, ConvLayerNames.Sequential(lastIndex), last, 1, act: ActivationFunction.HardSwish, bnEps: BnEps, bnMomentum: BnMomentum);
            b.Part(lastIndex, $"conv 1x1 {blocks[^1].Out}->{last} hs", 1);
            outputs.Add(x);
        }

        return outputs;
    }

    private static string Label(MobileNetV3Block blk) =>
        $"mbconv k{blk.Kernel} {blk.In}->{blk.Expanded}->{blk.Out}{(blk.SqueezeExcite ? " se" : string.Empty)} {(blk.HardSwish ? "hs" : "re")}"
        + (blk.DepthwiseStride > 1 ? $" /{blk.DepthwiseStride}" : string.Empty) + (blk.Dilation > 1 ? $" d{blk.Dilation}" : string.Empty);
}
