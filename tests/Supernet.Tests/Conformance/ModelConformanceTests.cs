using Nas.Core.Graphs;
using Nas.Core.Graphs.Nodes;
using Nas.Models;
using Nas.Models.Registry;
using Nas.Supernet.Checkpoints;
using Nas.Supernet.Networks;
using Nas.TestSupport;
using Nas.TorchTestSupport;
using Nas.Weights.Checkpoints;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nas.Supernet.Tests.Conformance;

/// <summary>
/// Every registered network, checked the same way: its graph's tensors are exactly the module's state dict, conv MACs
/// counted from the graph equal MACs hooked from the running modules, ONNX Runtime equals TorchSharp, and a checkpoint
/// round trip reproduces the outputs.
/// </summary>
public class ModelConformanceTests
{
    public static TheoryData<string> Models => new(ModelRegistry.All.Select(e => e.Name));

    [Theory]
    [MemberData(nameof(Models))]
    public void Graph_tensors_are_the_modules_state_dict(string model)
    {
        NetworkSpec spec = ModelRegistry.Build(ModelRegistry.TryGet(model)!);
        using var network = new NetworkModule(spec);
        var expected = spec.Graph.Parameters().Select(p => $"{p.Name}:{string.Join("x", p.Spec.Shape)}").ToArray();
        var actual = network.state_dict().Select(kv => $"{kv.Key}:{string.Join("x", kv.Value.shape)}").ToArray();
        Assert.Equal(expected.Order(), actual.Order());
        Assert.Equal(spec.Graph.ParameterCount(), network.parameters().Sum(p => p.numel()));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Graph_macs_equal_macs_hooked_from_the_modules(string model)
    {
        ModelEntry entry = ModelRegistry.TryGet(model)!;
        NetworkSpec spec = ModelRegistry.Build(entry);
        (int h, int w) = entry.ExampleInput;
        TorchRuntime.SetThreads(2);
        using var network = new NetworkModule(spec);
        network.eval();
        long hooked = 0;
        var removers = new List<Action>();
        foreach (nn.Module m in network.modules())
        {
            if (m is Conv2d conv)
            {
                long k = conv.kernel_size[0] * conv.kernel_size[1], groups = conv.groups;
                removers.Add(conv.register_forward_hook((_, input, output) =>
                {
                    hooked += output.numel() * k * input.shape[1] / groups;
                    return output;
                }).remove);
            }
            else if (m is ConvTranspose2d deconv)
            {
                long k = deconv.kernel_size[0] * deconv.kernel_size[1], groups = deconv.groups;
                removers.Add(deconv.register_forward_hook((_, input, output) =>
                {
                    hooked += input.numel() * k * output.shape[1] / groups;
                    return output;
                }).remove);
            }
        }

        using (NewDisposeScope())
        using (no_grad())
        {
            network.call(rand(1, 3, h, w));
        }

        removers.ForEach(r => r());
        Assert.Equal(GraphCost.Compute(spec.Graph.ForInference(), h, w).Macs, hooked);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Onnx_runtime_equals_torchsharp_with_random_batchnorm(string model)
    {
        ModelEntry entry = ModelRegistry.TryGet(model)!;
        NetworkSpec spec = ModelRegistry.Build(entry);
        (int h, int w) = entry.ExampleInput;
        TorchRuntime.SetThreads(2);
        double[] differences = GraphConformance.Compare(spec.Graph, [new ValueShape(3, h, w)], seed: 5);
        Assert.All(differences, d => Assert.True(d < 1e-4, $"{model} at {h}x{w}: max |ONNX − TorchSharp| is {d:E2} of the output range"));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Checkpoint_round_trip_reproduces_the_outputs(string model)
    {
        NetworkSpec spec = ModelRegistry.Build(ModelRegistry.TryGet(model)!);
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        using var network = new NetworkModule(spec);
        string path = dir.Combine("model.ckpt");
        NasCheckpoint.Save(path, network, NasCheckpoint.MetadataFor(network, "test"));
        using NetworkModule restored = CheckpointFile.Load(path).CreateNetwork();
        Assert.Equal(spec.Architecture.ToString(), restored.Spec.Architecture.ToString());
        network.eval();
        restored.eval();
        using var noGrad = no_grad();
        Tensor x = randn(1, 3, 64, 96);
        Assert.True(network.call(x).allclose(restored.call(x)));
    }

    [Fact]
    public void The_lr_aspp_example_inputs_pool_to_more_than_one_value()
    {
        // Otherwise the gate resize would be a broadcast and ONNX/TorchSharp resize differences could hide.
        foreach (ModelEntry entry in ModelRegistry.All)
        {
            NetworkSpec spec = ModelRegistry.Build(entry);
            GraphShapes shapes = spec.Graph.InferShapes(entry.ExampleInput.Height, entry.ExampleInput.Width);
            foreach (AvgPoolNode pool in spec.Graph.Nodes.OfType<AvgPoolNode>().Where(p => p.ClampWindow))
            {
                ValueShape pooled = shapes.Of(pool.Name);
                Assert.True(pooled.Height * pooled.Width > 1, $"{entry.Name}: {pool.Name} pools to {pooled}");
            }
        }
    }
}
