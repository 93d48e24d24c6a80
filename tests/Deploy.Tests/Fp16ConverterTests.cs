using Nas.Deploy.Calibration;
using Nas.Deploy.Fp16;
using Nas.Deploy.Graphs;
using Nas.Deploy.Verification;
using Nas.Onnx.Protos;
using Nas.Onnx.Runtime;

namespace Nas.Deploy.Tests;

public class Fp16ConverterTests
{
    private static readonly OrtOptions Ort = new() { IntraOpThreads = 1 };

    [Fact]
    public void Fp16ModelRunsOnTheCpuAndAgreesWithinFp16Tolerance()
    {
        ModelProto fp32 = TinyNetwork.Build();
        ModelProto fp16 = Fp16Converter.Convert(fp32);
        ComparisonReport r = PrecisionComparison.Compare(fp32, fp16, CalibrationData.SyntheticScenes(fp32, 2, seed: 5), Ort);
        Assert.True(r.Relative < 5e-3, $"max difference {r.Relative:E2} of the output range");
        Assert.True(r.MaxAbsDifference > 0, "FP16 must change the numbers (else nothing was converted)");
        Assert.True(r.ArgmaxAgreement >= 0.99, $"argmax agreement {r.ArgmaxAgreement:P2}");
    }

    [Fact]
    public void WeightsAreHalfAndInputsOutputsStayFloat32()
    {
        ModelProto fp16 = Fp16Converter.Convert(TinyNetwork.Build());
        Assert.All(fp16.Graph.Initializer.Where(t => t.Dims.Count == 4), t => Assert.Equal((int)TensorProto.Types.DataType.Float16, t.DataType));
        Assert.Equal(TensorProto.Types.DataType.Float, TensorSignature.Inputs(fp16).Single().Type);
        Assert.Equal(TensorProto.Types.DataType.Float, TensorSignature.Outputs(fp16).Single().Type);
        Assert.Equal("Cast", fp16.Graph.Node[0].OpType);
        Assert.Equal("Cast", fp16.Graph.Node[^1].OpType);
        Assert.Equal("fp16", Metadata.Get(fp16, "precision"));
        Assert.Contains("float32", Metadata.Get(fp16, "fp16_io"));
    }

    [Fact]
    public void ResizeScalesStayFloat32()
    {
        var b = new Onnx.Graphs.OnnxGraphBuilder("scales");
        string x = b.Input("input", [1, 2, 4, 4]);
        string scales = b.Initializer("scales", [1f, 1f, 2f, 2f], [4]);
        string bias = b.Initializer("bias", [0.5f], [1]);
        string y = b.Add(x, bias, "add");
        b.Output("output", [1, 2, 8, 8]);
        ModelProto fp32 = b.Build();
        var resize = new NodeProto { OpType = "Resize", Name = "resize" };
        resize.Input.AddRange([y, string.Empty, scales]);
        resize.Output.Add("output");
        resize.Attribute.Add(new AttributeProto { Name = "mode", Type = AttributeProto.Types.AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8("nearest") });
        fp32.Graph.Node.Add(resize);

        ModelProto fp16 = Fp16Converter.Convert(fp32);
        Assert.Equal((int)TensorProto.Types.DataType.Float, fp16.Graph.Initializer.Single(t => t.Name == "scales").DataType);
        Assert.Equal((int)TensorProto.Types.DataType.Float16, fp16.Graph.Initializer.Single(t => t.Name == "bias").DataType);
        var inputs = new CalibrationSet("ones", 1, new Dictionary<string, long[]> { ["input"] = [1, 2, 4, 4] },
            _ => new CalibrationSample(new Dictionary<string, float[]> { ["input"] = Enumerable.Range(0, 32).Select(i => i / 7f).ToArray() }, "ramp"));
        ComparisonReport r = PrecisionComparison.Compare(fp32, fp16, inputs, Ort);
        Assert.True(r.Relative < 1e-3, $"{r.Relative}");
    }
}
