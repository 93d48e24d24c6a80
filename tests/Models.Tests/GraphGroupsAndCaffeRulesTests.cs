using Nas.Core;
using Nas.Core.Graphs;
using Nas.Core.Graphs.Nodes;
using Nas.Core.Graphs.Passes;
using Nas.Core.IO;

namespace Nas.Models.Tests;

/// <summary>
/// The graph features the Caffe-defined networks rely on: parts made of listed nodes (flat Caffe layer names),
/// ceil-mode pooling whose window is larger than its input (Caffe and PyTorch allow up to stride − 1 more), and
/// transposed convolutions initialised with Caffe's bilinear filler.
/// </summary>
public class GraphGroupsAndCaffeRulesTests
{
    [Fact]
    public void A_group_is_a_part_of_exactly_the_nodes_added_inside_it()
    {
        var b = new GraphBuilder("groups");
        string x = b.Input("input", 3);
        string y;
        using (b.Group("stage1", "conv + relu", 2))
        {
            y = b.Relu("stage1_relu", b.Conv("stage1_conv", x, 4, 3, 2, 1));
        }

        string z = b.Conv("stage1_conv_extra", y, 4, 1);
        b.Output("out", z);
        LayerGraph g = b.Build();

        GraphPart part = g.Parts.Single();
        Assert.Equal(["stage1_conv", "stage1_relu"], part.Members);
        Assert.Equal(["input"], part.Inputs);
        Assert.Equal(["stage1_relu"], part.Outputs);
        Assert.Equal(part, g.PartOf("stage1_relu"));
        Assert.Null(g.PartOf("stage1_conv_extra")); // a name prefix does not make a member
        Assert.Equal(2, g.Extract(part).Nodes.Count);

        GraphCost cost = GraphCost.Compute(g, 8, 8);
        Assert.Equal(["stage1", "other"], cost.Parts.Select(p => p.Name));
        Assert.Equal(4L * 4 * 4 * 27, cost.Parts[0].Macs);

        LayerGraph back = NasJson.Deserialize<LayerGraph>(NasJson.Serialize(g), "test");
        Assert.Equal(part.Members, back.Parts.Single().Members);
    }

    [Fact]
    public void An_empty_group_is_refused()
    {
        var b = new GraphBuilder("groups");
        b.Input("input", 3);
        IDisposable group = b.Group("nothing", "empty");
        Assert.Contains("'nothing' has no nodes", Assert.Throws<NasException>(group.Dispose).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, 3, 2, 0, true, 1)] // PyTorch/Caffe: ceil((2 - 3) / 2) + 1 = 1, the window is clipped
    [InlineData(1, 3, 2, 0, true, 0)] // larger than the input by more than stride - 1
    [InlineData(2, 3, 2, 0, false, 0)]
    [InlineData(16, 3, 2, 0, true, 8)]
    [InlineData(16, 3, 2, 0, false, 7)]
    [InlineData(5, 2, 2, 0, true, 3)]
    [InlineData(5, 2, 2, 1, true, 3)] // 4 windows by the formula, but the last would start in the padding
    public void Pooling_output_sizes_follow_pytorch(int size, int kernel, int stride, int padding, bool ceil, int expected) =>
        Assert.Equal(expected, ShapeMath.SlidingOutput(size, kernel, stride, padding, 1, ceil));

    [Fact]
    public void A_bilinear_transposed_convolution_gets_the_filler_and_keeps_it_through_json()
    {
        var b = new GraphBuilder("up");
        string x = b.Input("input", 2);
        b.Output("out", b.Add(new ConvTransposeNode { Name = "up", Inputs = [x], InChannels = 2, OutChannels = 2, Kernel = 4, Stride = 2, Padding = 1, Groups = 2, BilinearInit = true }).Name);
        string plain = NasJson.Serialize(b.Build());
        LayerGraph g = NasJson.Deserialize<LayerGraph>(plain, "test");
        Assert.True(((ConvTransposeNode)g.Node("up")).BilinearInit);
        Assert.True(g.Parameters().Single().Spec.IsTrainable);

        float[] weights = RandomWeights.For(g, seed: 1).Values.Single().ToFloatArray();
        float[] kernel = ((ConvTransposeNode)g.Node("up")).BilinearKernel();
        Assert.Equal(kernel.Concat(kernel), weights);

        // The flag is written only when set, so other graphs' JSON does not change.
        var c = new GraphBuilder("learned");
        string y = c.Input("input", 2);
        c.Output("out", c.ConvTranspose("up", y, 2, 4, 2, 1));
        Assert.DoesNotContain("bilinear", NasJson.Serialize(c.Build()), StringComparison.Ordinal);
        Assert.Contains("\"bilinear_init\": true", plain, StringComparison.Ordinal);
    }
}
