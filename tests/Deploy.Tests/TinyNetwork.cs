using Nas.Onnx.Graphs;
using Nas.Onnx.Protos;

namespace Nas.Deploy.Tests;

/// <summary>
/// A small segmentation network written with the graph builder, with the op mix of the exported SqueezeNAS networks
/// (conv + ReLU, depthwise, residual Add, FactorizedReduce's Slice + Concat, LR-ASPP's pooling, sigmoid gate, Mul,
/// bilinear Resizes) and seeded He-initialised weights. Input N×3×H×W, output logits N×classes×H×W.
/// </summary>
internal static class TinyNetwork
{
    public static ModelProto Build(int height = 64, int width = 128, int classes = 19, int seed = 0, int batch = 1, bool argmax = false)
    {
        var rng = new Random(seed);
        var b = new OnnxGraphBuilder("tiny");
        string x = b.Input("input", [batch, 3, height, width]);
        int h2 = height / 2, w2 = width / 2, h4 = height / 4, w4 = width / 4;
        string stem = b.Relu(Conv(b, rng, x, "stem", 3, 8, 3, 2, 1), "stem.relu");
        string e = b.Relu(Conv(b, rng, stem, "b1.expand", 8, 24, 1, 1, 0), "b1.expand.relu");
        string d = b.Relu(Conv(b, rng, e, "b1.dw", 24, 24, 3, 1, 1, groups: 24), "b1.dw.relu");
        string p = Conv(b, rng, d, "b1.project", 24, 8, 1, 1, 0);
        string r1 = b.Add(p, stem, "b1.residual");
        string fr = b.Relu(r1, "b2.relu");
        string a = Conv(b, rng, fr, "b2.conv_a", 8, 8, 1, 2, 0);
        string shifted = b.Slice(fr, "b2.shift", [1, 1], [long.MaxValue, long.MaxValue], [2, 3]);
        string c = Conv(b, rng, shifted, "b2.conv_b", 8, 8, 1, 2, 0);
        string os4 = b.Concat([a, c], 1, "b2.concat");
        string branch = b.Relu(Conv(b, rng, os4, "head.branch", 16, 16, 1, 1, 0), "head.branch.relu");
        string pooled = b.AveragePool(os4, "head.pool", 4, 4, 4, 4, countIncludePad: false);
        string gate = b.Sigmoid(Conv(b, rng, pooled, "head.gate", 16, 16, 1, 1, 0), "head.sigmoid");
        gate = b.Resize(gate, "head.gate_resize", [batch, 16, h4, w4], ResizeMode.BilinearHalfPixel);
        string gated = b.Mul(branch, gate, "head.gated");
        string up = b.Resize(gated, "head.up2", [batch, 16, h2, w2], ResizeMode.BilinearHalfPixel);
        string main = Conv(b, rng, up, "head.classifier", 16, classes, 1, 1, 0);
        string side = Conv(b, rng, stem, "head.skip", 8, classes, 1, 1, 0);
        string sum = b.Add(main, side, "head.sum");
        string logits = b.Resize(sum, "head.up", [batch, classes, height, width], ResizeMode.BilinearAlignCorners);
        if (argmax)
        {
            b.Output(b.Rename(b.ArgMax(logits, "argmax", 1, keepDims: false), "labels"), [batch, height, width], TensorProto.Types.DataType.Int64);
        }
        else
        {
            b.Output(b.Rename(logits, "logits"), [batch, classes, height, width]);
        }

        return b.Build(new Dictionary<string, string> { ["network"] = "tiny", ["input"] = $"{height}x{width}" });
    }

    private static string Conv(OnnxGraphBuilder b, Random rng, string x, string name, int cin, int cout, int k, int stride, int pad, int groups = 1)
    {
        int fanIn = cin / groups * k * k;
        double std = Math.Sqrt(2.0 / fanIn);
        float[] w = new float[cout * (cin / groups) * k * k];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = (float)(Gaussian(rng) * std);
        }

        float[] bias = new float[cout];
        for (int i = 0; i < cout; i++)
        {
            bias[i] = (float)(Gaussian(rng) * 0.1);
        }

        return b.Conv(x, name, w, [cout, cin / groups, k, k], bias, stride, pad, 1, groups);
    }

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
