using Google.Protobuf;
using Nas.Core.SearchSpaces;
using Nas.Latency.Tables;
using Nas.Supernet.Blocks;
using Nas.Supernet.Export;
using Nas.Supernet.Heads;
using Nas.Supernet.Layers;
using Nas.Supernet.Networks;
using static TorchSharp.torch;

namespace Nas.Latency.Profiling;

/// <summary>Builds the module of a lookup-table entry (freshly initialised, eval mode) and its ONNX form.</summary>
public static class EntryModules
{
    public static nn.Module Create(SearchSpace space, LutEntrySpec e, int classes)
    {
        nn.Module module = e.Part switch
        {
            LutPart.Block => new FixedBlock(space.Positions[e.Position!.Value], e.Op!),
            LutPart.Stem => new ConvBnRelu(3, space.StemChannels, 3, stride: 2, padding: 1),
            LutPart.LastConv => new ConvBnRelu(space.EncoderChannels, space.LastConvChannels!.Value, 1),
            _ => space.Head == HeadKind.LrAspp
                ? new LrAsppHead(space.FinalChannels, space.SkipChannels, space.HeadChannels, classes)
                : new AsppDecoderHead(space.FinalChannels, space.SkipChannels, space.HeadChannels, classes),
        };
        WeightInit.Apply(module);
        module.eval();
        return module;
    }

    public static IReadOnlyList<long[]> InputShapes(LutEntrySpec e) =>
        e.SecondInShape is int[] skip
            ? [[1, .. e.InShape.Select(v => (long)v)], [1, .. skip.Select(v => (long)v)]]
            : [[1, .. e.InShape.Select(v => (long)v)]];

    public static Func<Tensor[], Tensor> Forward(nn.Module module) => module switch
    {
        SegmentationHead head => inputs => head.call(inputs[0], inputs[1]),
        nn.Module<Tensor, Tensor> m => inputs => m.call(inputs[0]),
        _ => throw new NotSupportedException(module.GetType().Name),
    };

    public static byte[] ExportOnnx(nn.Module module, LutEntrySpec e)
    {
        var input = new TensorShape(1, e.InShape[0], e.InShape[1], e.InShape[2]);
        Nas.Onnx.Protos.ModelProto model = module switch
        {
            FixedBlock block => OnnxExporter.ExportBlock(block, input, e.Key),
            ConvBnRelu conv => OnnxExporter.ExportConvPart(conv, input, e.PartName),
            SegmentationHead head => OnnxExporter.ExportHead(head, input, new TensorShape(1, e.SecondInShape![0], e.SecondInShape[1], e.SecondInShape[2]), e.Key),
            _ => throw new NotSupportedException(module.GetType().Name),
        };
        return model.ToByteArray();
    }
}
