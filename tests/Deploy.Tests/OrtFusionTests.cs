using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Nas.Deploy.Calibration;
using Nas.Deploy.Quantization;
using Nas.Onnx.Protos;
using Nas.Onnx.Runtime;
using Nas.TestSupport;

namespace Nas.Deploy.Tests;

/// <summary>
/// The QDQ layout only pays if ONNX Runtime recognises it: its CPU provider must turn every quantised Conv into
/// QLinearConv and the element-wise ops into their QLinear kernels (ORT writes the optimised graph it runs).
/// </summary>
public class OrtFusionTests
{
    [Fact]
    public void OnnxRuntimeFusesTheQdqGraphIntoIntegerKernels()
    {
        ModelProto fp32 = TinyNetwork.Build();
        ModelProto int8 = Int8Quantizer.Quantize(fp32, CalibrationData.SyntheticScenes(fp32, 2, seed: 3), new QuantizationOptions(), new OrtOptions { IntraOpThreads = 1 }).Model;
        using var dir = new TempDirectory();
        string optimised = dir.Combine("optimised.onnx");
        using (SessionOptions options = OrtSessionFactory.SessionOptionsFor(new OrtOptions { IntraOpThreads = 1 }))
        {
            options.OptimizedModelFilePath = optimised;
            using var session = new InferenceSession(int8.ToByteArray(), options);
        }

        ModelProto ran = ModelProto.Parser.ParseFrom(File.ReadAllBytes(optimised));
        var ops = ran.Graph.Node.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count());
        string all = string.Join(", ", ops.OrderBy(p => p.Key).Select(p => $"{p.Key}×{p.Value}"));
        Console.WriteLine(all);
        Assert.Equal(10, ops.GetValueOrDefault("QLinearConv"));
        Assert.False(ops.ContainsKey("Conv"), all);
        Assert.Equal(2, ops.GetValueOrDefault("QLinearAdd"));
        Assert.Equal(1, ops.GetValueOrDefault("QLinearConcat"));
        Assert.Equal(1, ops.GetValueOrDefault("QLinearAveragePool"));
        Assert.Equal(1, ops.GetValueOrDefault("QLinearMul"));
    }
}
