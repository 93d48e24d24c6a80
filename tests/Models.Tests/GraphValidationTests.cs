using Nas.Core;
using Nas.Core.Graphs;
using Nas.Core.SearchSpaces;
using Nas.Models.Registry;

namespace Nas.Models.Tests;

/// <summary>Graphs that do not type-check fail with one-line errors naming the node and the shapes.</summary>
public class GraphValidationTests
{
    [Fact]
    public void A_channel_mismatch_names_the_node()
    {
        var b = new GraphBuilder("bad");
        string x = b.Input("input", 3);
        string a = b.Conv("a", x, 8, 3, padding: 1);
        string c = b.Conv("c", x, 4, 3, padding: 1);
        NasException e = Assert.Throws<NasException>(() => b.Add("sum", a, c));
        Assert.Equal("node 'sum' (add): input channels differ: 8 vs 4", e.Message);
    }

    [Fact]
    public void A_spatial_mismatch_names_the_node_and_the_shapes()
    {
        var b = new GraphBuilder("bad");
        string x = b.Input("input", 3);
        string a = b.Conv("a", x, 8, 3, padding: 1);
        string c = b.Conv("c", x, 8, 3, stride: 2, padding: 1);
        b.Output("out", b.Add("sum", a, c));
        NasException e = Assert.Throws<NasException>(() => b.Build().InferShapes(32, 32));
        Assert.Equal("node 'sum' (add): input shapes differ: 8x32x32 vs 8x16x16", e.Message);
    }

    [Fact]
    public void A_resize_to_a_non_positive_size_and_a_too_small_input_are_refused()
    {
        var b = new GraphBuilder("bad");
        string x = b.Input("input", 3);
        Assert.Contains("non-positive", Assert.Throws<NasException>(() => b.Resize("up", x, ResizeMode.Bilinear, 0)).Message);
        b.Output("out", b.Conv("big", x, 4, 7));
        NasException e = Assert.Throws<NasException>(() => b.Build().InferShapes(4, 4));
        Assert.Contains("node 'big' (conv)", e.Message);
        Assert.Contains("3x4x4", e.Message);
    }

    [Fact]
    public void An_undefined_input_and_a_duplicate_name_are_refused()
    {
        var b = new GraphBuilder("bad");
        string x = b.Input("input", 3);
        Assert.Contains("'nowhere' is not defined", Assert.Throws<NasException>(() => b.Relu("r", "nowhere")).Message);
        b.Relu("r", x);
        Assert.Contains("already used", Assert.Throws<NasException>(() => b.Relu("r", x)).Message);
    }

    [Fact]
    public void Unknown_networks_list_the_registry()
    {
        NasException e = Assert.Throws<NasException>(() => ModelRegistry.Resolve("squeezenas-mac-huge"));
        Assert.Contains("unknown network 'squeezenas-mac-huge'", e.Message);
        Assert.Contains("squeezenas-lat-xlarge", e.Message);
    }

    [Fact]
    public void Candidate_op_kinds_parse_their_options()
    {
        CandidateOp op = CandidateOps.Parse("k5_e6_g1_d2_se_hswish");
        Assert.Equal((5, 6, 1, 2, 4, ActivationFunction.HardSwish), (op.Kernel, op.Expansion, op.Groups, op.Dilation, op.SeReduction, op.Activation));
        Assert.Equal("k3_e3_g1_se8_relu6", CandidateOps.Parse("inverse_residual_k3_e3_g1_se8_relu6").Name);
        Assert.Same(CandidateOp.Skip, CandidateOps.Parse("residual_skipish"));
        Assert.False(CandidateOps.TryParse("k4_e1_g1", out _));
    }
}
