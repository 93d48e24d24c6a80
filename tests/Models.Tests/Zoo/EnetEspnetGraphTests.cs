using Nas.Core;
using Nas.Core.Graphs;
using Nas.Models.Registry;

namespace Nas.Models.Tests.Zoo;

/// <summary>
/// ENet, ENet-ReLU-deconv, ESPNet and ESPNet-C against docs/zoo (enet.md, espnet.md; figures from the reference
/// scripts in docs/zoo/scripts and, for ESPNet, the official weight files): parameters, conv MACs, state-dict keys.
/// </summary>
public class EnetEspnetGraphTests
{
    [Theory]
    [InlineData("enet", "", 19, 364_311L, 3.922)]
    [InlineData("enet", "stage=encoder", 19, 340_607L, 3.270)]
    // docs/zoo/enet.md counts the two fixed bilinear x2 shortcut deconvolutions (2 x 8,388,608 MACs: 4.184 G); the
    // builder computes them as a parameter-free pad + resize + crop, which has no conv MACs.
    [InlineData("enet-relu-deconv", "", 19, 376_194L, 4.167)]
    [InlineData("enet-relu-deconv", "stage=encoder", 19, 498_898L, 4.626)]
    [InlineData("espnet", "", 20, 364_569L, 4.709)]
    [InlineData("espnet", "q=3", 20, 202_649L, 3.399)]
    [InlineData("espnet", "q=5", 20, 267_417L, 3.923)] // espnet_spec.py --q 5 (the table in espnet.md said 265,797 / 3.817 G)
    [InlineData("espnet-c", "", 20, 349_449L, 3.470)]
    public void Parameters_and_macs_equal_the_reference(string model, string options, int classes, long parameters, double gmacs)
    {
        GraphCost cost = GraphCost.Compute(Spec(model, options, classes).Graph.ForInference(), 512, 1024);
        Assert.Equal(parameters, cost.Params);
        Assert.Equal(gmacs, cost.Macs / 1e9, 3);
    }

    [Theory]
    [InlineData("espnet", "", 364_569L)]
    [InlineData("espnet-c", "", 349_449L)]
    [InlineData("enet-relu-deconv", "", 376_194L)]
    public void Registry_publishes_the_reference_parameter_count(string model, string options, long parameters)
    {
        ModelEntry entry = ModelRegistry.TryGet(model)!;
        Assert.Equal(parameters, entry.PublishedParameters);
        Assert.Equal(parameters, Spec(model, options, entry.DefaultClasses).Graph.ParameterCount());
    }

    [Theory]
    [InlineData("enet", "", 19, "enet.keys.md")]
    [InlineData("enet", "stage=encoder", 19, "enet-encoder.keys.md")]
    [InlineData("enet-relu-deconv", "", 19, "enet-relu-deconv.keys.md")]
    [InlineData("enet-relu-deconv", "stage=encoder", 19, "enet-relu-deconv-encoder.keys.md")]
    [InlineData("espnet", "", 20, "espnet.keys.md")]
    [InlineData("espnet-c", "", 20, "espnet-c.keys.md")]
    public void Keys_equal_the_reference_key_list(string model, string options, int classes, string table)
    {
        var keys = Spec(model, options, classes).Graph.Parameters()
            .Select(p => $"{p.ExternalName ?? p.Name}:{string.Join(",", p.Spec.Shape)}").ToArray();

        // The tutorial's fixed bilinear shortcut deconvolutions (constant buffers in the table) are computed without
        // tensors (EnetGraphs.FixedBilinearUp), the one documented difference.
        var reference = ReferenceKeyTable.Read(table).Where(k => !k.Contains(".shortcut.up.weight:", StringComparison.Ordinal));
        Assert.Equal(reference.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_espnet_encoder_stage_is_espnet_c_named_as_inside_espnet()
    {
        var stage = Spec("espnet", "stage=encoder", 20).Graph.Parameters();
        var espnetC = Spec("espnet-c", "", 20).Graph.Parameters().Select(p => p.Name).ToArray();
        var espnet = Spec("espnet", "", 20).Graph.Parameters().Select(p => p.Name).ToHashSet();
        Assert.Equal(espnetC.Order(StringComparer.Ordinal), stage.Select(p => p.ExternalName!).Order(StringComparer.Ordinal));
        Assert.All(stage, p => Assert.Contains(p.Name, espnet));
    }

    [Theory]
    [InlineData("enet", 64, 100, "multiples of 8")]
    [InlineData("enet-relu-deconv", 60, 96, "multiples of 8")]
    [InlineData("espnet", 64, 92, "multiples of 8")]
    public void A_size_the_network_cannot_take_names_the_rule(string model, int h, int w, string rule)
    {
        NetworkSpec spec = Spec(model, "", 19);
        var e = Assert.Throws<NasException>(() => spec.CheckInputSize(h, w));
        Assert.Contains($"{h}x{w}", e.Message, StringComparison.Ordinal);
        Assert.Contains(rule, e.Message, StringComparison.Ordinal);
        spec.CheckInputSize(64, 96);
        Spec("espnet-c", "", 20).CheckInputSize(61, 93);
    }

    [Theory]
    [InlineData("enet", "stage=decoder", "must be one of")]
    [InlineData("espnet", "r=3", "r")]
    [InlineData("espnet-c", "stage=encoder", "stage")]
    public void Unknown_options_are_rejected(string model, string options, string expected)
    {
        var e = Assert.Throws<NasException>(() => Spec(model, options, 19));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Espnet_input_is_the_official_bgr_normalisation()
    {
        InputConvention input = Spec("espnet", "", 20).Input;
        Assert.Equal(ChannelOrder.Bgr, input.Channels);
        // (x_bgr - mean) / std / 255 == (x/255 - mean/255) / std
        Assert.Equal(72.3923111f / 255, input.Mean[0], 6);
        Assert.Equal(45.3192215f, input.Std[0], 4);
        Assert.Equal(1f / 255, input.Scale);
    }

    private static NetworkSpec Spec(string model, string options, int classes)
    {
        var parsed = options.Length == 0
            ? null
            : options.Split(',').Select(o => o.Split('=')).ToDictionary(kv => kv[0], kv => kv[1]);
        return ModelRegistry.Build(ModelRegistry.TryGet(model)!, classes, parsed);
    }
}
