using Nas.Core.Costs;
using Nas.Onnx.Graphs;
using Nas.Supernet.Blocks;
using Nas.Supernet.Heads;
using Nas.Supernet.Layers;
using Nas.Supernet.Ops;
using TorchSharp.Modules;

namespace Nas.Supernet.Export;

/// <summary>Emits our modules as ONNX nodes (BatchNormalization folded), tracking activation shapes for the Resize sizes.</summary>
internal sealed class GraphEmitter(OnnxGraphBuilder builder)
{
    public OnnxGraphBuilder Builder { get; } = builder;

    public (string Tensor, TensorShape Shape) Conv(string x, TensorShape shape, string name, Conv2d conv, BatchNormalization? bn, bool relu)
    {
        FoldedConv f = FoldedConv.From(conv, bn);
        string y = Builder.Conv(x, name, f.Weight, f.WeightShape, f.Bias, f.Stride, f.Padding, f.Dilation, f.Groups);
        if (relu)
        {
            y = Builder.Relu(y, name + ".relu");
        }

        long k = f.WeightShape[2];
        long h = ((shape.H + (2 * f.Padding) - (f.Dilation * (k - 1)) - 1) / f.Stride) + 1;
        long w = ((shape.W + (2 * f.Padding) - (f.Dilation * (k - 1)) - 1) / f.Stride) + 1;
        return (y, new TensorShape(shape.N, f.WeightShape[0], h, w));
    }

    public (string, TensorShape) ConvBnRelu(string x, TensorShape shape, string name, ConvBnRelu layer) =>
        Conv(x, shape, name, layer.Conv, layer.Norm, layer.HasRelu);

    public (string Tensor, TensorShape Shape) Block(string x, TensorShape shape, string name, FixedBlock block)
    {
        if (block.IsIdentity)
        {
            return (x, shape);
        }

        (string y, TensorShape s) = block.Module switch
        {
            InvertedResidualOp ir => InvertedResidual(x, shape, name, ir),
            FactorizedReduceOp fr => FactorizedReduce(x, shape, name, fr),
            ProjectionOp p => Conv(Builder.Relu(x, name + ".pre_relu"), shape, name + ".proj", p.Layer.Conv, p.Layer.Bn, relu: false),
            _ => throw new NotSupportedException($"cannot export {block.Module.GetType().Name}"),
        };
        return block.Position.IsResidual ? (Builder.Add(y, x, name + ".residual"), s) : (y, s);
    }

    public (string Tensor, TensorShape Shape) Head(string os16, TensorShape os16Shape, string skip, TensorShape skipShape, string name, SegmentationHead head) => head switch
    {
        LrAsppHead h => LrAspp(os16, os16Shape, skip, name, h),
        AsppDecoderHead h => AsppDecoder(os16, os16Shape, skip, skipShape, name, h),
        _ => throw new NotSupportedException($"cannot export {head.GetType().Name}"),
    };

    private (string, TensorShape) InvertedResidual(string x, TensorShape shape, string name, InvertedResidualOp op)
    {
        (string e, TensorShape se) = Conv(x, shape, name + ".expand", op.Expand.Conv, op.Expand.Bn, relu: true);
        (string d, TensorShape sd) = Conv(e, se, name + ".depthwise", op.Depthwise.Conv, op.Depthwise.Bn, relu: true);
        return Conv(d, sd, name + ".project", op.Project.Conv, op.Project.Bn, relu: false);
    }

    private (string, TensorShape) FactorizedReduce(string x, TensorShape shape, string name, FactorizedReduceOp op)
    {
        string r = Builder.Relu(x, name + ".relu");
        (string a, TensorShape sa) = Conv(r, shape, name + ".conv_a", op.BranchA.Conv, op.BranchA.Bn, relu: false);
        string shifted = Builder.Slice(r, name + ".shift", [1, 1], [long.MaxValue, long.MaxValue], [2, 3]);
        (string b, TensorShape sb) = Conv(shifted, shape with { H = shape.H - 1, W = shape.W - 1 }, name + ".conv_b", op.BranchB.Conv, op.BranchB.Bn, relu: false);
        return (Builder.Concat([a, b], 1, name + ".concat"), sa with { C = sa.C + sb.C });
    }

    private (string, TensorShape) LrAspp(string os16, TensorShape s, string skip, string name, LrAsppHead head)
    {
        (string a, TensorShape sa) = ConvBnRelu(os16, s, name + ".branch", head.Branch);
        (int kh, int kw, int sh, int sw) = LrAsppPooling.For((int)s.H, (int)s.W);
        string pooled = Builder.AveragePool(os16, name + ".pool", kh, kw, sh, sw, countIncludePad: false);
        (int ph, int pw) = LrAsppPooling.OutputSize((int)s.H, (int)s.W);
        (string g, _) = Conv(pooled, s with { H = ph, W = pw }, name + ".gate_conv", head.GateConv, null, relu: false);
        string gate = Builder.Resize(Builder.Sigmoid(g, name + ".sigmoid"), name + ".gate_resize", [s.N, sa.C, s.H, s.W], ResizeMode.BilinearHalfPixel);
        string gated = Builder.Mul(a, gate, name + ".gated");
        var os8 = new TensorShape(s.N, sa.C, 2 * s.H, 2 * s.W);
        string up = Builder.Resize(gated, name + ".up2", os8.ToArray(), ResizeMode.BilinearHalfPixel);
        (string main, TensorShape sm) = Conv(up, os8, name + ".classifier", head.Classifier, null, relu: false);
        (string side, _) = Conv(skip, os8 with { C = head.SkipClassifier.in_channels }, name + ".skip_classifier", head.SkipClassifier, null, relu: false);
        string sum = Builder.Add(main, side, name + ".sum");
        var full = new TensorShape(s.N, sm.C, 16 * s.H, 16 * s.W);
        return (Builder.Resize(sum, name + ".up8", full.ToArray(), ResizeMode.BilinearAlignCorners), full);
    }

    private (string, TensorShape) AsppDecoder(string os16, TensorShape s, string skip, TensorShape skipShape, string name, AsppDecoderHead head)
    {
        var branches = new List<string>();
        TensorShape branchShape = s;
        string[] names = ["conv1x1", "rate6", "rate12", "rate18"];
        for (int i = 0; i < 4; i++)
        {
            (string b, branchShape) = ConvBnRelu(os16, s, $"{name}.aspp_{names[i]}", head.AsppBranches[i]);
            branches.Add(b);
        }

        string pooled = Builder.GlobalAveragePool(os16, name + ".image_pool");
        branches.Add(Builder.Resize(pooled, name + ".image_pool_broadcast", s.ToArray(), ResizeMode.Nearest));
        string concat = Builder.Concat(branches, 1, name + ".aspp_concat");
        (string aspp, TensorShape sa) = ConvBnRelu(concat, s with { C = (4 * branchShape.C) + s.C }, name + ".aspp_project", head.AsppProject);
        var os4 = new TensorShape(s.N, sa.C, 4 * s.H, 4 * s.W);
        string up = Builder.Resize(aspp, name + ".up4", os4.ToArray(), ResizeMode.BilinearAlignCorners);
        (string low, TensorShape sl) = Conv(skip, skipShape, name + ".skip_conv", head.SkipConv, null, relu: false);
        string joined = Builder.Concat([up, low], 1, name + ".join");
        (string fused, TensorShape sf) = ConvBnRelu(joined, os4 with { C = os4.C + sl.C }, name + ".fuse_depthwise", head.Fuse);
        (string logits, TensorShape sc) = Conv(fused, sf, name + ".classifier", head.Classifier, null, relu: false);
        var full = new TensorShape(s.N, sc.C, 16 * s.H, 16 * s.W);
        return (Builder.Resize(logits, name + ".up4_final", full.ToArray(), ResizeMode.BilinearAlignCorners), full);
    }
}
