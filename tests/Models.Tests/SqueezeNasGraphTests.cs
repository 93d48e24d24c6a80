using Nas.Core.Genotypes;
using Nas.Core.Graphs;
using Nas.Core.Graphs.Nodes;
using Nas.Core.SearchSpaces;
using Nas.Models.SqueezeNas;

namespace Nas.Models.Tests;

/// <summary>
/// Costs walked from the SqueezeNAS graphs against the official figures and the closed forms of the reference
/// (§2.3): MACs of convolutions only, batch 1; parameters are what PyTorch's parameters() returns.
/// </summary>
public class SqueezeNasGraphTests
{
    [Theory]
    [InlineData("squeezenas-mac-small", 3_007_512_576L, 277_598L, 3.01)]
    [InlineData("squeezenas-mac-large", 9_386_147_840L, 704_382L, 9.39)]
    [InlineData("squeezenas-mac-xlarge", 21_838_299_136L, 1_819_563L, 21.84)]
    [InlineData("squeezenas-lat-small", 4_465_098_752L, 465_774L, 4.47)]
    [InlineData("squeezenas-lat-large", 19_574_636_544L, 1_918_734L, 19.57)]
    [InlineData("squeezenas-lat-xlarge", 32_729_202_688L, 3_059_323L, 32.73)]
    public void Published_networks_keep_their_macs_and_parameters_at_full_resolution(string name, long macs, long parameters, double readmeGmacs)
    {
        // 3,007,512,576 is also the count of the independent reference ONNX graph of MAC-Small.
        GraphCost cost = GraphCost.Compute(SqueezeNasGraphs.Network(PublishedNetworks.Get(name).Genotype), 1024, 2048);
        Assert.Equal(macs, cost.Macs);
        Assert.Equal(parameters, cost.Params);
        Assert.Equal(readmeGmacs, cost.Macs / 1e9, 2);
        Assert.True(cost.Flops > 2 * cost.Macs, "FLOPs count every operation, 2 per multiply-accumulate");
    }

    [Fact]
    public void The_lr_aspp_gate_conv_is_counted_at_its_pooled_size()
    {
        // Gotcha 8 of the reference: 131,072 MACs for Small (1x4 output, 256->128), 81,920 for Large.
        Assert.Equal(131_072L, GateMacs("squeezenas-mac-small"));
        Assert.Equal(81_920L, GateMacs("squeezenas-mac-large"));

        static long GateMacs(string name) =>
            GraphCost.Compute(SqueezeNasGraphs.Network(PublishedNetworks.Get(name).Genotype), 1024, 2048).ByNode["head.gate_conv"].Macs;
    }

    [Fact]
    public void Blocks_follow_the_closed_forms()
    {
        var named = new NamedGenotype("g", Genotype.FromNames(SearchSpaceCatalog.Small,
            ["k3_e1_g1", "k3_e1_g1", "k3_e1_g1", "k3_e1_g1", "k5_e6_g1", "skip", "k3_e1_g1_d2", "k3_e1_g1", .. Enumerable.Repeat("k3_e1_g1", 12)], "test"), 19);
        GraphCost cost = GraphCost.Compute(SqueezeNasGraphs.Network(named), 1024, 2048);
        long hw = 256L * 512, hwOut = 128L * 256;
        Assert.Equal((hw * 16 * 96) + (hwOut * 96 * 25) + (hwOut * 96 * 24), Part(cost, 4).Macs);
        Assert.Equal(0, Part(cost, 5).Macs);
        Assert.Equal(0, Part(cost, 5).Params);
        Assert.Equal(Part(cost, 7).Macs, Part(cost, 6).Macs); // dilation does not change MACs

        var skipAtStride2 = new NamedGenotype("s", Genotype.FromNames(SearchSpaceCatalog.Small,
            ["k3_e1_g1", "k3_e1_g1", "k3_e1_g1", "k3_e1_g1", "skip", .. Enumerable.Repeat("k3_e1_g1", 15)], "test"), 19);
        Assert.Equal(hwOut * 16 * 24, Part(GraphCost.Compute(SqueezeNasGraphs.Network(skipAtStride2), 1024, 2048), 4).Macs); // two halves of C_out/2
    }

    [Fact]
    public void Sizes_that_are_not_multiples_of_16_are_counted_at_the_padded_size()
    {
        LayerGraph g = SqueezeNasGraphs.Network(PublishedNetworks.Get("squeezenas-lat-small").Genotype);
        Assert.Equal(GraphCost.Compute(g, 112, 208).Macs, GraphCost.Compute(g, 100, 200).Macs);
        Assert.Equal(new ValueShape(19, 100, 200), g.InferShapes(100, 200).Main);
    }

    [Fact]
    public void Every_candidate_of_a_space_is_a_choice_and_derivation_inlines_it()
    {
        LayerGraph supernet = SqueezeNasGraphs.Supernet(SearchSpaceCatalog.Small, 19);
        ChoiceNode[] choices = supernet.Choices.ToArray();
        Assert.Equal(20, choices.Length);
        Assert.All(choices, c => Assert.Equal(SearchSpaceCatalog.Small.Candidates.Select(o => o.Name), c.Labels));
        var sources = new Dictionary<string, string>();
        LayerGraph net = supernet.Derive(c => c.Position == 3 ? 7 : 0, sources);
        Assert.False(net.HasChoices);
        Assert.Equal("blocks.3.candidates.7.expand_conv.weight", sources["blocks.3.op.expand_conv.weight"]);
        Assert.Equal("k5_e6_g1", net.Parts.Single(p => p.Name == "blocks.3").Label);
        Assert.Equal("encoder.residuals.3.op.0.weight", net.Parameters().Single(p => p.Name == "blocks.3.op.expand_conv.weight").ExternalName);
    }

    private static PartCost Part(GraphCost cost, int position) => cost.Parts.Single(p => p.Position == position);
}
