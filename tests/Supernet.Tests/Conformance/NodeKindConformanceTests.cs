using Nas.Core;
using Nas.Core.Graphs;
using Nas.Core.Graphs.Nodes;
using Nas.Core.IO;
using Nas.TorchTestSupport;

namespace Nas.Supernet.Tests.Conformance;

/// <summary>
/// Every layer kind in one graph — convolutions with non-square kernels and dilations, folded and unfolded BatchNorm,
/// all activations, PReLU, max pooling with indices and unpooling, average pooling (padded, ceil mode, clamped),
/// squeeze-excite, transposed convolution, slice, pad (spatial and channels), concat, LRN, dropout, nearest and both
/// bilinear resizes, adds and crops — run by TorchSharp and by ONNX Runtime. A new node kind must join this graph.
/// </summary>
public class NodeKindConformanceTests
{
    internal static LayerGraph AllKinds()
    {
        var b = new GraphBuilder("all-kinds");
        string x0 = b.Input("input", 3);
        string p = b.PadToMultiple("pad16", x0, 16);
        string a = b.Conv("c1", p, 8, 3, padding: 1, bias: true);
        a = b.BatchNorm("bn1", a, eps: 1e-3, momentum: 0.01);
        a = b.Activation("relu6", a, ActivationFunction.Relu6);
        string pr = b.PRelu("prelu", a, 8);
        (string mv, string mi) = b.MaxPoolWithIndices("pool", pr, 2, 2);
        string c2 = b.Conv("c2", mv, 8, (3, 1), padding: (2, 0), dilation: (2, 1));
        c2 = b.Activation("hswish", c2, ActivationFunction.HardSwish);
        string up = b.MaxUnpool("unpool", c2, mi, pr, 2, 2);
        string ap = b.AvgPool("avg", up, 3, 2, padding: 1);
        string ceil = b.AvgPool("avg_ceil", up, 3, 2, ceilMode: true, countIncludePad: false);
        string max = b.MaxPool("max", up, 3, 2, padding: 1);
        string ga = b.GlobalAvgPool("gap", b.Add("pools", b.Add("pools0", ap, ceil), max));
        string se = b.Conv("fc1", ga, 4, 1, bias: true);
        se = b.Relu("fc_relu", se);
        se = b.Conv("fc2", se, 8, 1, bias: true);
        se = b.Activation("hsig", se, ActivationFunction.HardSigmoid);
        string scaled = b.Mul("scale", se, ap);
        string ct = b.ConvTranspose("deconv", scaled, 6, 3, stride: 2, padding: 1, outputPadding: 1);
        ct = b.BatchNorm("bn_deconv", ct);
        string sl = b.Slice("shift", ct, 1, 1);
        string pd = b.Pad("pad", sl, top: 1, left: 1, channelsAfter: 2);
        string cat = b.Concat("cat", pd, up);
        cat = b.BatchNorm("bn_cat", cat);
        string n = b.LocalResponseNorm("lrn", cat, 5, alpha: 1e-3, beta: 0.75, k: 2);
        n = b.Dropout("drop", n, 0.2, channelwise: true);
        n = b.Activation("sigmoid", b.Activation("tanh", n, ActivationFunction.Tanh), ActivationFunction.Sigmoid);
        string clamped = b.AvgPool("clamped", up, 49, (16, 20), countIncludePad: false, clampWindow: true);
        n = b.Mul("gate", n, b.Conv("gate_conv", clamped, 16, 1, bias: true));
        string near = b.AvgPool("down", b.Resize("nearest", n, ResizeMode.Nearest, 2), 2, 2);
        string wide = b.Conv("widen", ap, 16, 1);
        string aligned = b.ResizeLike("aligned", wide, near, ResizeMode.Bilinear, alignCorners: true);
        string half = b.Resize("half", wide, ResizeMode.Bilinear, 2);
        string sum = b.Add("sum", b.Add("sum0", near, aligned), half);
        sum = b.Activation("relu", b.Conv("c3", sum, 16, 3, padding: 1, groups: 4), ActivationFunction.Relu);
        string crop = b.CropLike("crop", sum, x0);
        string shifted = b.CropLike("crop_offset", sum, x0, 4, 3);
        b.Output("logits", b.Add("out", crop, shifted));
        return b.Build();
    }

    [Fact]
    public void The_graph_uses_every_layer_kind()
    {
        var used = AllKinds().Nodes.Select(n => n.Kind).ToHashSet();
        string[] missing = NodeKinds.All.Where(k => k != "choice" && !used.Contains(k)).ToArray();
        Assert.True(missing.Length == 0, $"not in the graph: {string.Join(", ", missing)}");
    }

    [Theory]
    [InlineData(40, 56)]
    [InlineData(36, 50)]
    public void Onnx_runtime_equals_torchsharp_for_every_layer_kind(int height, int width)
    {
        TorchRuntime.SetThreads(2);
        double[] d = GraphConformance.Compare(AllKinds(), [new ValueShape(3, height, width)], seed: 3);
        Assert.True(d[0] < 1e-4, $"max |ONNX − TorchSharp| is {d[0]:E2} of the output range");
    }

    [Fact]
    public void The_graph_round_trips_through_json()
    {
        LayerGraph graph = AllKinds();
        string json = NasJson.Serialize(graph);
        LayerGraph back = NasJson.Deserialize<LayerGraph>(json, "all-kinds.json");
        Assert.Equal(json, NasJson.Serialize(back));
        Assert.Equal(graph.Nodes.Count, back.Nodes.Count);
    }

    [Fact]
    public void Bad_json_descriptions_name_the_problem()
    {
        string json = NasJson.Serialize(AllKinds());
        var unknown = Assert.Throws<NasException>(() => NasJson.Deserialize<LayerGraph>(json.Replace("\"kind\": \"lrn\"", "\"kind\": \"fancy\""), "g.json"));
        Assert.Contains("g.json", unknown.Message);
        Assert.Contains("fancy", unknown.Message);
        var mismatch = Assert.Throws<NasException>(() => NasJson.Deserialize<LayerGraph>(json.Replace("\"out_channels\": 4,", "\"out_channels\": 5,"), "g.json"));
        Assert.Contains("fc2", mismatch.Message);
    }
}
