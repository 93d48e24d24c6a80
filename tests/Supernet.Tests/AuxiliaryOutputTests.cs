using Nas.Core.Graphs;
using Nas.Core.Graphs.Passes;
using Nas.Models;
using Nas.Models.Registry;
using Nas.Onnx.Export;
using Nas.Supernet.Graphs;
using Nas.Supernet.Networks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nas.Supernet.Tests;

/// <summary>Auxiliary heads (DeepLabV3's FCN head) run in training only: forward computes the main output alone.</summary>
public class AuxiliaryOutputTests
{
    [Fact]
    public void Forward_skips_the_nodes_only_an_auxiliary_output_needs_and_run_computes_them()
    {
        var b = new GraphBuilder("aux-test");
        string x = b.Input("input", 3);
        string trunk = b.Relu("trunk.relu", b.Conv("trunk.conv", x, 4, 3, padding: 1));
        b.Output("logits", b.Conv("head", trunk, 2, 1, bias: true));
        b.Output("aux", b.Conv("aux_head", trunk, 2, 1, bias: true), OutputRole.Auxiliary, 0.5);
        using var scope = NewDisposeScope();
        using var module = new GraphModule(b.Build());
        int auxCalls = 0;
        var hook = ((Conv2d)module.Layer("aux_head")!).register_forward_hook((_, _, output) =>
        {
            auxCalls++;
            return output;
        });
        Tensor input = randn(2, 3, 8, 8);

        Tensor main = module.call(input);
        Assert.Equal(0, auxCalls);
        Tensor[] all = module.Run([input]);
        Assert.Equal(1, auxCalls);
        Assert.True(main.allclose(all[0]));
        Assert.Equal([2L, 2, 8, 8], all[1].shape);
        hook.remove();
    }

    [Fact]
    public void Deeplab_trains_with_its_auxiliary_output_at_weight_one_half()
    {
        NetworkSpec spec = ModelRegistry.Resolve("deeplabv3-mobilenet-v3-large", 3);
        using var scope = NewDisposeScope();
        using var network = new NetworkModule(spec);
        network.train();
        (Tensor main, IReadOnlyList<(Tensor Logits, double Weight)> aux) = network.ForwardForTraining(randn(2, 3, 48, 40));
        Assert.Equal([2L, 3, 48, 40], main.shape);
        (Tensor logits, double weight) = Assert.Single(aux);
        Assert.Equal([2L, 3, 48, 40], logits.shape);
        Assert.Equal(0.5, weight);
    }

    [Theory]
    [InlineData("deeplabv3-mobilenet-v3-large")]
    [InlineData("deeplabv3-resnet50")]
    public void The_onnx_export_of_a_network_with_an_auxiliary_head_has_one_output(string model)
    {
        NetworkSpec spec = ModelRegistry.Resolve(model, 3);
        Assert.Equal(2, spec.Graph.Outputs.Count);
        var onnx = LayerGraphExporter.Export(spec.Graph, RandomWeights.For(spec.Graph, 1), 64, 64);
        var output = Assert.Single(onnx.Graph.Output);
        Assert.Equal("logits", output.Name);
        Assert.DoesNotContain(onnx.Graph.Initializer, t => t.Name.Contains("aux_classifier", StringComparison.Ordinal));
        Assert.DoesNotContain(onnx.Graph.Node, n => n.Name.Contains("aux_classifier", StringComparison.Ordinal));
    }
}
