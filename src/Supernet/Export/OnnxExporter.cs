using Nas.Core.SearchSpaces;
using Nas.Onnx.Graphs;
using Nas.Onnx.Protos;
using Nas.Supernet.Blocks;
using Nas.Supernet.Heads;
using Nas.Supernet.Layers;
using Nas.Supernet.Networks;

namespace Nas.Supernet.Export;

/// <summary>
/// Writes our networks and their parts as ONNX (IR 8, opset 17) with BatchNormalization folded into the convolutions:
/// whole networks (input <c>input</c> N×3×H×W, output <c>logits</c> or, with argmax, <c>labels</c>), single blocks,
/// the stem, the last conv and the head (for latency kits). Inputs that are not multiples of 16 get the network's
/// bottom/right zero padding (Pad) and the logits are cropped back (Slice), exactly as in TorchSharp.
/// </summary>
public static class OnnxExporter
{
    public static ModelProto Export(SqueezeNasNetwork network, int batch, int height, int width, bool argmax = false)
    {
        var builder = new OnnxGraphBuilder(network.Genotype.Name);
        var emit = new GraphEmitter(builder);
        string x = builder.Input("input", [batch, 3, height, width]);
        InputSize run = new InputSize(height, width).PaddedTo();
        var shape = new TensorShape(batch, 3, run.Height, run.Width);
        if (run.Height != height || run.Width != width)
        {
            x = builder.Pad(x, "pad16", [0, 0, 0, 0, 0, 0, run.Height - height, run.Width - width]);
        }

        (x, shape) = emit.ConvBnRelu(x, shape, "stem", network.Stem);
        string? skip = null;
        TensorShape skipShape = default;
        IReadOnlyList<FixedBlock> blocks = network.Blocks;
        for (int i = 0; i < blocks.Count; i++)
        {
            (x, shape) = emit.Block(x, shape, $"blocks.{i}", blocks[i]);
            if (i == network.Space.SkipBlockIndex)
            {
                (skip, skipShape) = (x, shape);
            }
        }

        if (network.LastConv is ConvBnRelu last)
        {
            (x, shape) = emit.ConvBnRelu(x, shape, "last_conv", last);
        }

        (x, shape) = emit.Head(x, shape, skip!, skipShape, "head", network.Head);
        if (run.Height != height || run.Width != width)
        {
            x = builder.Slice(x, "crop", [0, 0], [height, width], [2, 3]);
            shape = shape with { H = height, W = width };
        }

        if (argmax)
        {
            x = builder.Rename(builder.ArgMax(x, "argmax", 1, keepDims: false), "labels");
            builder.Output(x, [batch, height, width], TensorProto.Types.DataType.Int64);
        }
        else
        {
            x = builder.Rename(x, "logits");
            builder.Output(x, shape.ToArray());
        }

        return builder.Build(Metadata(network, height, width, argmax), $"{network.Genotype.Genotype.CanonicalString}; input normalised with ImageNet mean/std");
    }

    /// <summary>One searchable block at a given input shape (input <c>input</c>, output <c>output</c>).</summary>
    public static ModelProto ExportBlock(FixedBlock block, TensorShape input, string name)
    {
        var builder = new OnnxGraphBuilder(name);
        var emit = new GraphEmitter(builder);
        string x = builder.Input("input", input.ToArray());
        (string y, TensorShape s) = emit.Block(x, input, "block", block);
        Finish(builder, y == x ? builder.Identity(y, "identity") : y, s);
        return builder.Build(new Dictionary<string, string> { ["part"] = name });
    }

    /// <summary>A conv+BN(+ReLU) part (stem or last conv) at a given input shape.</summary>
    public static ModelProto ExportConvPart(ConvBnRelu layer, TensorShape input, string name)
    {
        var builder = new OnnxGraphBuilder(name);
        var emit = new GraphEmitter(builder);
        (string y, TensorShape s) = emit.ConvBnRelu(builder.Input("input", input.ToArray()), input, name, layer);
        Finish(builder, y, s);
        return builder.Build(new Dictionary<string, string> { ["part"] = name });
    }

    /// <summary>The head with its two inputs <c>os16</c> and <c>skip</c>.</summary>
    public static ModelProto ExportHead(SegmentationHead head, TensorShape os16, TensorShape skip, string name)
    {
        var builder = new OnnxGraphBuilder(name);
        var emit = new GraphEmitter(builder);
        string a = builder.Input("os16", os16.ToArray());
        string b = builder.Input("skip", skip.ToArray());
        (string y, TensorShape s) = emit.Head(a, os16, b, skip, "head", head);
        Finish(builder, y, s);
        return builder.Build(new Dictionary<string, string> { ["part"] = name });
    }

    private static void Finish(OnnxGraphBuilder builder, string y, TensorShape s) => builder.Output(builder.Rename(y, "output"), s.ToArray());

    private static Dictionary<string, string> Metadata(SqueezeNasNetwork network, int height, int width, bool argmax) => new()
    {
        ["network"] = network.Genotype.Name,
        ["genotype"] = network.Genotype.Genotype.CanonicalString,
        ["space"] = network.Space.CanonicalString,
        ["classes"] = network.Classes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["input"] = $"{height}x{width}",
        ["output"] = argmax ? "labels" : "logits",
        ["normalization"] = "rgb/255, mean 0.485,0.456,0.406, std 0.229,0.224,0.225",
    };
}
