using System.Text.RegularExpressions;
using Nas.Core;
using Nas.Core.Graphs;
using Nas.Core.Graphs.Nodes;
using Nas.Models.Registry;
using Nas.Models.Zoo.Torchvision;
using Nas.TestSupport;

namespace Nas.Models.Tests.Zoo;

/// <summary>
/// torchvision's LR-ASPP and DeepLabV3 networks: parameter counts and conv MACs equal torchvision's published figures,
/// state-dict keys (order and shapes) equal the reference key lists of docs/zoo/tables, the auxiliary head and the taps.
/// </summary>
public partial class TorchvisionZooTests
{
    [Theory]
    [InlineData("lraspp-mobilenet-v3-large", 3_221_538L, 2_086_219_688L)]
    [InlineData("lraspp-mobilenet-v3-small", 1_077_954L, 671_582_336L)]
    [InlineData("deeplabv3-mobilenet-v3-large", 11_029_328L, 10_452_447_938L)]
    [InlineData("deeplabv3-resnet50", 42_004_074L, 178_721_945_088L)]
    public void Parameters_and_macs_equal_torchvisions_figures_with_21_classes(string model, long parameters, long macsAt520)
    {
        // torchvision's weights metadata: num_params (aux head included) and _ops = conv GMACs at 520x520 (2.086, 10.452, 178.722).
        ModelEntry entry = ModelRegistry.TryGet(model)!;
        NetworkSpec spec = ModelRegistry.Build(entry);
        Assert.Equal(21, spec.Classes);
        Assert.Equal(parameters, spec.Graph.ParameterCount());
        if (entry.PublishedParameters is long published)
        {
            Assert.Equal(published, parameters);
        }

        GraphCost cost = GraphCost.Compute(spec.Graph, 520, 520);
        Assert.Equal(parameters, cost.Params);
        Assert.Equal(macsAt520, cost.Macs);
        Assert.DoesNotContain(cost.Parts, p => p.Name == "other");
    }

    [Theory]
    [InlineData("deeplabv3-mobilenet-v3-large", 11_025_477L, 16_097_250L)]
    [InlineData("deeplabv3-resnet50", 39_638_869L, 9_990_739_200L)]
    public void The_auxiliary_head_is_a_training_output_that_inference_and_aux_false_drop(string model, long withoutAux, long auxMacsAt520)
    {
        NetworkSpec spec = ModelRegistry.Resolve(model);
        GraphOutput aux = Assert.Single(spec.Graph.Outputs, o => o.Role == OutputRole.Auxiliary);
        Assert.Equal("aux", aux.Name);
        Assert.Equal(0.5, aux.LossWeight);
        Assert.Equal("logits", spec.Graph.MainOutput.Name);
        Assert.Equal(new ValueShape(21, 37, 45), spec.Graph.InferShapes(37, 45).Of(aux.Value));

        LayerGraph inference = spec.Graph.ForInference();
        Assert.DoesNotContain(inference.Nodes, n => n.Name.StartsWith("aux_", StringComparison.Ordinal));
        Assert.Equal(withoutAux, inference.ParameterCount());
        Assert.Equal(auxMacsAt520, GraphCost.Compute(spec.Graph, 520, 520).Macs - GraphCost.Compute(inference, 520, 520).Macs);

        NetworkSpec noAux = ModelRegistry.Resolve(model, options: new Dictionary<string, string> { ["aux"] = "false" });
        Assert.Equal(withoutAux, noAux.Graph.ParameterCount());
        Assert.Single(noAux.Graph.Outputs);
        Assert.Equal(["classifier.4."], noAux.ClassifierPrefixes);
        Assert.Equal($"{model} (aux=false)", noAux.Architecture.ToString());
        Assert.Equal(inference.Parameters().Select(p => p.Name), noAux.Graph.Parameters().Select(p => p.Name));
    }

    [Fact]
    public void An_arch_argument_carries_model_options_after_a_colon()
    {
        NetworkSpec noAux = ModelRegistry.Resolve("deeplabv3-resnet50:aux=false", 5);
        Assert.Single(noAux.Graph.Outputs);
        Assert.Equal(5, noAux.Classes);
        Assert.Equal("deeplabv3-resnet50 (aux=false)", noAux.Architecture.ToString());
        NetworkSpec withAux = ModelRegistry.Resolve("deeplabv3-mobilenet-v3-large:aux=true");
        Assert.Equal(2, withAux.Graph.Outputs.Count);
        NasException malformed = Assert.Throws<NasException>(() => ModelRegistry.Resolve("deeplabv3-resnet50:aux=false;dilation"));
        Assert.Equal("'deeplabv3-resnet50:aux=false;dilation': model option 'dilation' must be key=value (NAME:key=value;key=value)", malformed.Message);
        NasException unknown = Assert.Throws<NasException>(() => ModelRegistry.Resolve("lraspp-mobilenet-v3-small:aux=false"));
        Assert.Contains("(options: none)", unknown.Message);
    }

    [Fact]
    public void Unknown_and_malformed_options_are_refused_with_the_known_ones()
    {
        NasException unknown = Assert.Throws<NasException>(() => ModelRegistry.Resolve("deeplabv3-resnet50", options: new Dictionary<string, string> { ["dilation"] = "2" }));
        Assert.Equal("model 'deeplabv3-resnet50' has no option 'dilation' (options: aux)", unknown.Message);
        NasException malformed = Assert.Throws<NasException>(() => ModelRegistry.Resolve("deeplabv3-mobilenet-v3-large", options: new Dictionary<string, string> { ["aux"] = "maybe" }));
        Assert.Contains("'aux' = 'maybe' must be true or false", malformed.Message);
        NasException none = Assert.Throws<NasException>(() => ModelRegistry.Resolve("lraspp-mobilenet-v3-large", options: new Dictionary<string, string> { ["aux"] = "true" }));
        Assert.Contains("(options: none)", none.Message);
    }

    [Theory]
    [InlineData("lraspp-mobilenet-v3-large", 319)]
    [InlineData("lraspp-mobilenet-v3-small", 251)]
    [InlineData("deeplabv3-mobilenet-v3-large", 360)]
    [InlineData("deeplabv3-resnet50", 370)]
    public void State_dict_keys_and_shapes_are_torchvisions_in_order(string model, int entries)
    {
        // The reference lists were derived from torchvision's module definitions (docs/zoo/scripts/torchvision_seg.py).
        string table = Path.Combine(SharedAssets.RepositoryRoot, "docs", "zoo", "tables", $"{model}.keys.md");
        string[] expected = File.ReadLines(table).Select(l => KeyRow().Match(l)).Where(m => m.Success)
            .Select(m => $"{m.Groups[1].Value} [{m.Groups[2].Value}]").ToArray();
        Assert.Equal(entries, expected.Length);

        NetworkSpec spec = ModelRegistry.Resolve(model);
        string[] actual = spec.Graph.Parameters().Select(p => $"{p.Name} [{string.Join(", ", p.Spec.Shape)}]").ToArray();
        Assert.Equal(expected, actual);
        Assert.All(spec.Graph.Parameters(), p => Assert.Null(p.ExternalName));
    }

    [Theory]
    [InlineData("lraspp-mobilenet-v3-large")]
    [InlineData("lraspp-mobilenet-v3-small")]
    [InlineData("deeplabv3-mobilenet-v3-large")]
    [InlineData("deeplabv3-resnet50")]
    public void The_classifier_prefixes_are_exactly_the_tensors_whose_shape_depends_on_the_class_count(string model)
    {
        NetworkSpec c21 = ModelRegistry.Resolve(model, 21), c5 = ModelRegistry.Resolve(model, 5);
        Dictionary<string, string> shapes = c5.Graph.Parameters().ToDictionary(p => p.Name, p => string.Join("x", p.Spec.Shape));
        string[] changed = c21.Graph.Parameters().Where(p => shapes[p.Name] != string.Join("x", p.Spec.Shape)).Select(p => p.Name).ToArray();
        string[] classifier = c21.Graph.Parameters().Where(p => c21.IsClassifierTensor(p.Name)).Select(p => p.Name).ToArray();
        Assert.NotEmpty(changed);
        Assert.Equal(changed, classifier);
        Assert.All(c21.Graph.Parameters(), p => Assert.Equal(p.Name.StartsWith("backbone.", StringComparison.Ordinal), c21.IsEncoderTensor(p.Name)));
    }

    [Fact]
    public void The_mobilenet_taps_are_torchvisions_stage_indices()
    {
        Assert.Equal((4, 16), MobileNetV3Features.Taps(MobileNetV3Features.Large()));
        Assert.Equal((2, 12), MobileNetV3Features.Taps(MobileNetV3Features.Small()));

        // The dilated C4 block keeps stride 1 and gets no residual; the SE squeeze widths follow _make_divisible.
        LayerGraph g = ModelRegistry.Resolve("lraspp-mobilenet-v3-large").Graph;
        var dw = (ConvNode)g.Node("backbone.13.block.1.0");
        Assert.Equal((1, 1, 2, 4), (dw.Stride.H, dw.Stride.W, dw.Dilation.H, dw.Padding.H));
        Assert.DoesNotContain(g.Nodes, n => n.Name == "backbone.13.residual");
        Assert.Contains(g.Nodes, n => n.Name == "backbone.14.residual");
        Assert.Equal(24, ((ConvNode)g.Node("backbone.4.block.2.fc1")).OutChannels); // 72 // 4 = 18 -> 16 < 0.9 * 18 -> 24
        Assert.Equal(8, ((ConvNode)ModelRegistry.Resolve("lraspp-mobilenet-v3-small").Graph.Node("backbone.1.block.1.fc1")).OutChannels); // 16 // 4 = 4 -> 8

        GraphShapes shapes = g.InferShapes(512, 1024);
        Assert.Equal(new ValueShape(40, 64, 128), shapes.Of(g.Node("classifier.low_classifier").Inputs[0]));
        Assert.Equal(new ValueShape(960, 32, 64), shapes.Of(g.Node("classifier.cbr.0").Inputs[0]));
        var bn = (BatchNormNode)g.Node("backbone.3.block.0.1");
        Assert.Equal((0.001, 0.01), (bn.Eps, bn.Momentum));
        Assert.Equal((1e-5, 0.1), (((BatchNormNode)g.Node("classifier.cbr.1")).Eps, ((BatchNormNode)g.Node("classifier.cbr.1")).Momentum));
    }

    [Fact]
    public void Resnet50_is_dilated_in_layer3_and_layer4_with_block_0_at_the_previous_dilation()
    {
        LayerGraph g = ModelRegistry.Resolve("deeplabv3-resnet50").Graph;
        (int Stride, int Dilation) Conv2(string block)
        {
            var c = (ConvNode)g.Node($"backbone.{block}.conv2");
            Assert.Equal(c.Dilation, c.Padding);
            return (c.Stride.H, c.Dilation.H);
        }

        Assert.Equal((2, 1), Conv2("layer2.0"));
        Assert.Equal((1, 1), Conv2("layer3.0"));
        Assert.Equal((1, 2), Conv2("layer3.5"));
        Assert.Equal((1, 2), Conv2("layer4.0"));
        Assert.Equal((1, 4), Conv2("layer4.2"));
        Assert.Equal(1, ((ConvNode)g.Node("backbone.layer4.0.downsample.0")).Stride.H);
        GraphShapes shapes = g.InferShapes(512, 1024);
        Assert.Equal(new ValueShape(2048, 64, 128), shapes.Of(g.Node("classifier.0.convs.0.0").Inputs[0]));
        Assert.Equal(new ValueShape(1024, 64, 128), shapes.Of(g.Node("aux_classifier.0").Inputs[0]));
    }

    [Theory]
    [InlineData("lraspp-mobilenet-v3-large")]
    [InlineData("lraspp-mobilenet-v3-small")]
    [InlineData("deeplabv3-mobilenet-v3-large")]
    [InlineData("deeplabv3-resnet50")]
    public void Any_input_size_gives_logits_of_that_size(string model)
    {
        // Strided layers give ceil(n / 2) and every resize goes to a size: torchvision's min_size is (1, 1).
        LayerGraph g = ModelRegistry.Resolve(model, 3).Graph;
        foreach ((int h, int w) in new[] { (1, 1), (7, 5), (33, 47), (100, 148) })
        {
            GraphShapes shapes = g.InferShapes(h, w);
            Assert.All(g.Outputs, o => Assert.Equal(new ValueShape(3, h, w), shapes.Of(o.Value)));
        }
    }

    [GeneratedRegex(@"^\| \d+ \| `([^`]+)` \| \[([^\]]*)\] \|")]
    private static partial Regex KeyRow();
}
