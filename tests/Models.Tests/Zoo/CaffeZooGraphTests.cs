using Nas.Core;
using Nas.Core.Graphs;
using Nas.Core.Graphs.Nodes;
using Nas.Models.Registry;
using Nas.TestSupport;

namespace Nas.Models.Tests.Zoo;

/// <summary>
/// The networks defined by Caffe prototxts (fpn, unet-full, unet-lite, fcn-alexnet) against the figures and key
/// lists of docs/zoo (computed there from the prototxts by docs/zoo/scripts/prototxt.py).
/// </summary>
public class CaffeZooGraphTests
{
    [Theory]
    [InlineData("fpn", 19, 6_146_531L)]
    [InlineData("unet-full", 19, 32_151_251L)]
    [InlineData("unet-lite", 19, 7_762_675L)]
    [InlineData("fcn-alexnet", 21, 57_037_610L)] // 56,954,261 learned in DIGITS + the 83,349 of upscore (trainable here)
    public void Parameter_counts_equal_the_prototxt_counts(string model, int classes, long parameters)
    {
        NetworkSpec spec = ModelRegistry.Resolve(model);
        Assert.Equal(classes, spec.Classes);
        Assert.Equal(parameters, spec.Graph.ParameterCount());
    }

    [Fact]
    public void Fcn_alexnet_without_its_upsampling_kernel_has_the_learned_count_of_digits()
    {
        LayerGraph g = ModelRegistry.Resolve("fcn-alexnet").Graph;
        long upscore = g.Parameters().Single(p => p.Name == "upscore.weight").Spec.Elements;
        Assert.Equal(21L * 63 * 63, upscore);
        Assert.Equal(56_954_261L, g.ParameterCount() - upscore);
    }

    [Theory]
    [InlineData("fpn", 512, 1024, 17_514_364_928L)]
    [InlineData("unet-full", 512, 1024, 409_565_396_992L)]
    [InlineData("unet-lite", 512, 1024, 96_871_645_184L)]
    [InlineData("fcn-alexnet", 500, 356, 16_034_277_984L)]
    public void Conv_macs_equal_the_prototxt_counts(string model, int height, int width, long macs)
    {
        NetworkSpec spec = ModelRegistry.Resolve(model);
        GraphCost cost = GraphCost.Compute(spec.Graph, height, width);
        Assert.Equal(macs, cost.Macs);
        Assert.Equal(new ValueShape(spec.Classes, height, width), cost.Shapes.Main);
    }

    [Theory]
    [InlineData("fpn")]
    [InlineData("unet-full")]
    [InlineData("unet-lite")]
    [InlineData("fcn-alexnet")]
    public void Tensor_names_order_and_shapes_equal_the_reference_key_list(string model)
    {
        NetworkSpec spec = ModelRegistry.Resolve(model);
        IReadOnlyList<ZooKeyTable.Row> reference = ZooKeyTable.Read(model);
        IReadOnlyList<NamedParameter> ours = spec.Graph.Parameters();
        Assert.True(reference.Count > 10, $"{ZooKeyTable.PathOf(model)} has {reference.Count} rows");
        Assert.Equal(reference.Select(r => $"{r.Key} [{string.Join(", ", r.Shape)}]"), ours.Select(p => $"{p.Name} [{string.Join(", ", p.Spec.Shape)}]"));
        Assert.All(ours, p => Assert.Null(p.ExternalName));
        for (int i = 0; i < ours.Count; i++)
        {
            // The one recorded deviation: upscore's fixed bilinear kernel (Caffe lr_mult 0) is a trainable weight here.
            bool expected = reference[i].IsParameter || ours[i].Name == "upscore.weight";
            Assert.True(expected == ours[i].Spec.IsTrainable, $"{ours[i].Name}: reference kind '{reference[i].Kind}'");
        }
    }

    [Theory]
    [InlineData("fpn", 32)]
    [InlineData("unet-full", 16)]
    [InlineData("unet-lite", 16)]
    public void The_size_rule_is_exactly_what_shape_inference_allows(string model, int multiple)
    {
        // As docs/zoo/scripts/constraints.py: every side length 1..256; sizes the rule refuses fail shape inference
        // (or come back at another size), sizes it accepts give logits at the input size.
        NetworkSpec spec = ModelRegistry.Resolve(model);
        Assert.Equal(multiple, spec.InputSize.Multiple);
        for (int side = 1; side <= 256; side++)
        {
            int other = multiple * 2;
            bool accepted = spec.InputSize.Accepts(side, other);
            Assert.Equal(side % multiple == 0, accepted);
            Assert.Equal(accepted, Runs(spec, side, other));
            Assert.Equal(accepted, Runs(spec, other, side));
        }
    }

    [Theory]
    [InlineData("fpn", 500, 512, "multiples of 32", "512x512")]
    [InlineData("fpn", 512, 1000, "multiples of 32", "512x1024")]
    [InlineData("unet-full", 100, 200, "multiples of 16", "112x208")]
    [InlineData("unet-lite", 8, 16, "multiples of 16", "16x16")]
    public void A_size_the_network_cannot_take_gives_one_line_naming_the_rule(string model, int height, int width, string rule, string suggestion)
    {
        NetworkSpec spec = ModelRegistry.Resolve(model);
        var e = Assert.Throws<NasException>(() => spec.CheckInputSize(height, width));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains($"'{model}'", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{height}x{width}", e.Message, StringComparison.Ordinal);
        Assert.Contains(rule, e.Message, StringComparison.Ordinal);
        Assert.Contains(suggestion, e.Message, StringComparison.Ordinal);
        Assert.Equal(new ValueShape(spec.Classes, 512, 1024), spec.CheckInputSize(512, 1024).Main);
    }

    [Fact]
    public void Fcn_alexnet_takes_every_size_because_its_pooling_rounds_up()
    {
        NetworkSpec spec = ModelRegistry.Resolve("fcn-alexnet");
        for (int side = 1; side <= 300; side++)
        {
            Assert.True(Runs(spec, side, 37), $"{side}x37");
            Assert.True(Runs(spec, 37, side), $"37x{side}");
        }

        // With floor-mode pooling the crop would not fit at many sizes (docs/zoo/fcn-alexnet.md), e.g. 1x1:
        // conv1 48, pool1 23, pool2 11, pool5 5 < the 6x6 fc6.
        LayerGraph floor = new(spec.Graph.Name, spec.Graph.Inputs,
            spec.Graph.Nodes.Select(n => n is MaxPoolNode p ? p with { CeilMode = false } : n).ToArray(), spec.Graph.Outputs);
        var e = Assert.Throws<NasException>(() => floor.InferShapes(1, 1));
        Assert.Contains("fc6", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fcn_alexnet_crops_the_upsampled_scores_at_offset_18()
    {
        NetworkSpec spec = ModelRegistry.Resolve("fcn-alexnet");
        GraphShapes shapes = spec.CheckInputSize(500, 356);
        Assert.Equal(new ValueShape(96, 173, 137), shapes.Of("conv1"));
        Assert.Equal(new ValueShape(96, 86, 68), shapes.Of("pool1"));
        Assert.Equal(new ValueShape(256, 21, 17), shapes.Of("pool5"));
        Assert.Equal(new ValueShape(4096, 16, 12), shapes.Of("fc6"));
        Assert.Equal(new ValueShape(21, 543, 415), shapes.Of("upscore"));
        var crop = (CropLikeNode)spec.Graph.Node("score");
        Assert.Equal((18, 18), (crop.OffsetH, crop.OffsetW));
        Assert.Equal(spec.Graph.Inputs[0].Name, crop.Inputs[1]);
        Assert.Equal(new ValueShape(21, 500, 356), shapes.Main);
    }

    [Fact]
    public void Fcn_alexnet_keeps_alexnets_groups_lrn_and_dropout()
    {
        LayerGraph g = ModelRegistry.Resolve("fcn-alexnet").Graph;
        Assert.Equal([1, 2, 1, 2, 2, 1, 1, 1], g.Nodes.OfType<ConvNode>().Select(c => c.Groups));
        Assert.Equal(100, ((ConvNode)g.Node("conv1")).Padding.H);
        Assert.All(g.Nodes.OfType<MaxPoolNode>(), p => Assert.True(p.CeilMode, p.Name));
        Assert.Equal(["norm1", "norm2"], g.Nodes.OfType<LocalResponseNormNode>().Select(n => n.Name));
        Assert.All(g.Nodes.OfType<LocalResponseNormNode>(), n => Assert.Equal((5, 1e-4, 0.75, 1.0), (n.Size, n.Alpha, n.Beta, n.K)));
        Assert.Equal(["drop6", "drop7"], g.Nodes.OfType<DropoutNode>().Where(d => d.P == 0.5 && !d.Channelwise).Select(d => d.Name));
        var upscore = (ConvTransposeNode)g.Node("upscore");
        Assert.Equal((21, 21, 63, 32, 0, false, true), (upscore.Groups, upscore.OutChannels, upscore.Kernel.H, upscore.Stride.H, upscore.Padding.H, upscore.Bias, upscore.BilinearInit));
    }

    [Fact]
    public void Another_class_count_rebuilds_the_score_and_upsampling_layers()
    {
        NetworkSpec spec = ModelRegistry.Resolve("fcn-alexnet", classes: 5);
        Assert.Equal([5L, 1, 63, 63], spec.Graph.Parameters().Single(p => p.Name == "upscore.weight").Spec.Shape.Select(d => (long)d));
        Assert.Equal(["score_fr.weight", "score_fr.bias", "upscore.weight"], spec.Graph.Parameters().Where(p => spec.IsClassifierTensor(p.Name)).Select(p => p.Name));
        Assert.Equal(new ValueShape(5, 64, 80), spec.CheckInputSize(64, 80).Main);
    }

    [Fact]
    public void The_bilinear_kernel_is_caffes_filler()
    {
        // k = 4: the outer product of [0.25, 0.75, 0.75, 0.25] (the tutorial ENet caffemodel's kernels).
        float[] k4 = Deconv(4, 2).BilinearKernel();
        float[] axis = [0.25f, 0.75f, 0.75f, 0.25f];
        Assert.Equal(axis.SelectMany(r => axis.Select(c => r * c)), k4);

        // k = 63: f = 32, c = 63/64, so the tent is centred at 31.5 (Caffe's filler is made for even kernels): per axis
        // 1/64 at 0, 63/64 at 31 and 32, 3/64 at 62.
        float[] k63 = ((ConvTransposeNode)ModelRegistry.Resolve("fcn-alexnet").Graph.Node("upscore")).BilinearKernel();
        Assert.Equal(63 * 63, k63.Length);
        Assert.Equal(63f / 64 * (63f / 64), k63[(31 * 63) + 31], 6);
        Assert.Equal(63f / 64 * (63f / 64), k63[(32 * 63) + 32], 6);
        Assert.Equal(1f / 64 * (1f / 64), k63[0], 6);
        Assert.Equal(1f / 64 * (3f / 64), k63[62], 6);
        Assert.Equal(3f / 64 * (3f / 64), k63[^1], 6);

        static ConvTransposeNode Deconv(int k, int s) =>
            new() { Name = "d", Inputs = ["x"], InChannels = 1, OutChannels = 1, Kernel = k, Stride = s };
    }

    [Theory]
    [InlineData("fpn", "inception_4e_output")]
    [InlineData("unet-full", "u2")]
    [InlineData("fcn-alexnet", "fc7")]
    public void Every_node_is_in_a_named_part(string model, string somePart)
    {
        LayerGraph g = ModelRegistry.Resolve(model).Graph;
        Assert.All(g.Nodes, n => Assert.True(g.PartOf(n.Name) is not null, $"{n.Name} is in no part"));
        GraphCost cost = GraphCost.Compute(g, 64, 64);
        Assert.DoesNotContain(cost.Parts, p => p.Name == "other");
        Assert.Equal(cost.Params, cost.Parts.Sum(p => p.Params));
        Assert.Equal(cost.Macs, cost.Parts.Sum(p => p.Macs));
        Assert.Contains(g.Parts, p => p.Name == somePart || (p.Members?.Contains(somePart) ?? false));
    }

    [Theory]
    [InlineData("fpn", 57, 1, 9)]
    [InlineData("unet-full", 10, 1, 12)]
    [InlineData("unet-lite", 10, 1, 12)]
    [InlineData("fcn-alexnet", 7, 2, 0)]
    public void Encoder_classifier_and_decoder_split_the_tensors(string model, int encoderConvs, int classifierLayers, int decoderLayers)
    {
        NetworkSpec spec = ModelRegistry.Resolve(model);
        string[] layers = spec.Graph.Parameters().Select(p => p.Name[..p.Name.LastIndexOf('.')]).Distinct().ToArray();
        string[] encoder = layers.Where(l => spec.IsEncoderTensor(l + ".weight")).ToArray();
        string[] classifier = layers.Where(l => spec.IsClassifierTensor(l + ".weight")).ToArray();
        Assert.Empty(encoder.Intersect(classifier));
        Assert.Equal(encoderConvs, encoder.Count(l => spec.Graph.Node(l) is ConvNode));
        Assert.Equal(classifierLayers, classifier.Length);
        Assert.Equal(decoderLayers, layers.Length - encoder.Length - classifier.Length);
    }

    [Fact]
    public void Unet_skips_carry_the_raw_convolution_and_follow_the_upsampled_map()
    {
        foreach (string model in new[] { "unet-full", "unet-lite" })
        {
            LayerGraph g = ModelRegistry.Resolve(model).Graph;
            ConcatNode[] concats = g.Nodes.OfType<ConcatNode>().ToArray();
            Assert.Equal(["concat_d3cc_u3a_b", "concat_d2cc_u2a_b", "concat_d1cc_u1a_b", "concat_d0cc_u0a_b"], concats.Select(c => c.Name));
            Assert.Equal(["relu_u3a", "conv_d3b_c"], concats[0].Inputs);
            Assert.Equal(["relu_u0a", "conv_d0b_c"], concats[3].Inputs);
            Assert.Equal("conv_d3b_c", g.Node("BatchNorm_1").Inputs[0]);
            Assert.Equal("conv_d4a_b", g.Node("BatchNorm_2").Inputs[0]);
            Assert.Equal(4, g.Nodes.OfType<ConvTransposeNode>().Count(t => t.Kernel.H == 2 && t.Stride.H == 2 && t.Bias && !t.BilinearInit));
        }

        Assert.Equal(512, ModelRegistry.Resolve("unet-full").Graph.ChannelsOf("upconv_u3d_u2a"));
        Assert.Equal(128, ModelRegistry.Resolve("unet-lite").Graph.ChannelsOf("upconv_u3d_u2a"));
    }

    [Fact]
    public void Fpn_taps_the_backbone_after_batchnorm_and_relu_and_sums_upsampled_first()
    {
        LayerGraph g = ModelRegistry.Resolve("fpn").Graph;
        Assert.Equal("conv2_relu_3x3", g.Node("latlayer_2c").Inputs[0]);
        Assert.Equal("inception_3b_output", g.Node("latlayer_3d").Inputs[0]);
        Assert.Equal("inception_4e_output", g.Node("latlayer_4f").Inputs[0]);
        Assert.Equal("inception_5b_output", g.Node("p5").Inputs[0]);
        Assert.Equal(["upsample_p5", "latlayer_4f"], g.Node("add_p4").Inputs);
        Assert.Equal(["inception_4e_1x1", "inception_4e_3x3", "inception_4e_5x5", "inception_4e_pool_proj"],
            g.Node("inception_4e_output").Inputs.Select(v => g.ProducerOf(v)!.Inputs[0]).Select(v => g.ProducerOf(v)!.Inputs[0]));
        Assert.All(g.Nodes.OfType<BatchNormNode>(), bn => Assert.Equal((1e-5, 0.001), (bn.Eps, bn.Momentum)));
        Assert.Equal(57, g.Nodes.OfType<BatchNormNode>().Count());
        Assert.All(g.Nodes.OfType<MaxPoolNode>(), p => Assert.True(p.CeilMode, p.Name));
    }

    [Theory]
    [InlineData("fpn")]
    [InlineData("unet-full")]
    [InlineData("unet-lite")]
    [InlineData("fcn-alexnet")]
    public void Unknown_options_are_refused_and_the_example_input_is_accepted(string model)
    {
        ModelEntry entry = ModelRegistry.TryGet(model)!;
        var e = Assert.Throws<NasException>(() => ModelRegistry.Build(entry, null, new Dictionary<string, string> { ["aux"] = "false" }));
        Assert.Contains("'aux'", e.Message, StringComparison.Ordinal);
        NetworkSpec spec = ModelRegistry.Build(entry);
        Assert.Equal(model, spec.Architecture.ToString());
        (int h, int w) = entry.ExampleInput;
        Assert.Equal(new ValueShape(spec.Classes, h, w), spec.CheckInputSize(h, w).Main);
    }

    private static bool Runs(NetworkSpec spec, int height, int width)
    {
        try
        {
            return spec.Graph.InferShapes(height, width).Main == new ValueShape(spec.Classes, height, width);
        }
        catch (NasException)
        {
            return false;
        }
    }
}
