using Nas.Deploy.Calibration;
using Nas.Deploy.Graphs;
using Nas.Deploy.Quantization;
using Nas.Deploy.Verification;
using Nas.Onnx.Protos;
using Nas.Onnx.Runtime;

namespace Nas.Deploy.Tests;

public class Int8QuantizerTests
{
    private static readonly OrtOptions Ort = new() { IntraOpThreads = 1 };

    [Theory]
    [InlineData(CalibrationMethod.MinMax)]
    [InlineData(CalibrationMethod.Percentile)]
    [InlineData(CalibrationMethod.Entropy)]
    public void QuantisedModelRunsAndAgreesWithFp32OnStructuredInputs(CalibrationMethod method)
    {
        ModelProto fp32 = TinyNetwork.Build();
        CalibrationSet calibration = CalibrationData.SyntheticScenes(fp32, 8, seed: 3);
        (ModelProto int8, QuantizationSummary summary) = Int8Quantizer.Quantize(fp32, calibration, new QuantizationOptions { Method = method }, Ort);

        // Held-out scenes (another seed): the model runs in ONNX Runtime and its class map agrees with FP32.
        ComparisonReport r = PrecisionComparison.Compare(fp32, int8, CalibrationData.SyntheticScenes(fp32, 4, seed: 11), Ort);
        string numbers = $"{method}: argmax agreement {r.ArgmaxAgreement:P2}, max difference {r.Relative:P2} and mean {r.MeanAbsDifference / r.OutputRange:P3} of the output range";
        Assert.True(r.ArgmaxAgreement >= 0.95, numbers);
        Assert.True(r.MeanAbsDifference < 0.02 * r.OutputRange, numbers);
        Assert.True(r.Relative < 0.5, numbers);
        Console.WriteLine(numbers);
        Assert.True(r.MaxAbsDifference > 0, "the quantised model must differ from FP32 (it is not the same graph)");
        Assert.Equal(10, summary.QuantizedOps["Conv"]);
        Assert.Equal(method.ToString().ToLowerInvariant(), Metadata.Get(int8, "calibration_method"));
        Assert.Equal("8", Metadata.Get(int8, "calibration_images"));
    }

    [Fact]
    public void FileHasQdqNodesPerChannelWeightScalesAndInt32Biases()
    {
        ModelProto fp32 = TinyNetwork.Build();
        (ModelProto int8, QuantizationSummary summary) = Int8Quantizer.Quantize(fp32, CalibrationData.SyntheticScenes(fp32, 2, seed: 3), new QuantizationOptions(), Ort);
        var init = int8.Graph.Initializer.ToDictionary(t => t.Name);
        var nodes = int8.Graph.Node;
        Assert.Contains(nodes, n => n.OpType == "QuantizeLinear");
        Assert.Equal(summary.QuantizeNodes, nodes.Count(n => n.OpType == "QuantizeLinear"));

        // Every Conv reads its weight through a DequantizeLinear of an int8 initializer with one scale per output
        // channel (axis 0) and zero points 0, and its bias through an int32 DequantizeLinear with scale s_x·s_w.
        var producer = nodes.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);
        foreach (NodeProto conv in nodes.Where(n => n.OpType == "Conv"))
        {
            NodeProto wdq = producer[conv.Input[1]];
            Assert.Equal("DequantizeLinear", wdq.OpType);
            TensorProto w = init[wdq.Input[0]];
            Assert.Equal((int)TensorProto.Types.DataType.Int8, w.DataType);
            TensorProto scale = init[wdq.Input[1]];
            Assert.Equal(w.Dims[0], scale.Dims.Single());
            Assert.Equal(0, wdq.Attribute.Single(a => a.Name == "axis").I);
            Assert.All(init[wdq.Input[2]].RawData.ToByteArray(), v => Assert.Equal(0, v));
            Assert.Contains(w.RawData.ToByteArray(), v => (sbyte)v is 127 or -127);

            NodeProto xdq = producer[conv.Input[0]];
            Assert.Equal("DequantizeLinear", xdq.OpType);
            float sx = TensorData.Floats(init[xdq.Input[1]])[0];
            Assert.Equal((int)TensorProto.Types.DataType.Uint8, init[xdq.Input[2]].DataType);
            NodeProto bdq = producer[conv.Input[2]];
            Assert.Equal((int)TensorProto.Types.DataType.Int32, init[bdq.Input[0]].DataType);
            float[] sw = TensorData.Floats(scale), sb = TensorData.Floats(init[bdq.Input[1]]);
            for (int c = 0; c < sw.Length; c++)
            {
                Assert.Equal(sx * sw[c], sb[c], 1e-6f * sb[c]);
            }

            // The conv's output goes straight into a QuantizeLinear: its ReLU (if any) became the zero point.
            Assert.All(nodes.Where(n => n.Input.Contains(conv.Output[0])), n => Assert.Equal("QuantizeLinear", n.OpType));
        }

        Assert.DoesNotContain(nodes, n => n.OpType == "Relu");
        Assert.Equal(5, summary.RemovedActivations);
        Assert.DoesNotContain(int8.Graph.Initializer, t => t.DataType == (int)TensorProto.Types.DataType.Float && t.Dims.Count == 4);
        Assert.Equal("logits", int8.Graph.Output.Single().Name);
    }

    [Fact]
    public void HistogramMethodsClipOutliersThatMinMaxKeeps()
    {
        var s = new TensorStatistics("t");
        float[] values = [.. Enumerable.Range(0, 100_000).Select(i => (float)(i % 1000) / 1000f), 50f];
        s.AddRange(values);
        s.AddHistogram(values, 2048);
        Assert.Equal((0f, 50f), RangeEstimator.Range(s, new QuantizationOptions { Method = CalibrationMethod.MinMax }));
        (float lo, float hi) = RangeEstimator.Range(s, new QuantizationOptions { Method = CalibrationMethod.Percentile, Percentile = 99.9 });
        Assert.Equal(0f, lo);
        Assert.InRange(hi, 0.9f, 1.1f);
        (lo, hi) = RangeEstimator.Range(s, new QuantizationOptions { Method = CalibrationMethod.Entropy });
        Assert.Equal(0f, lo);
        Assert.InRange(hi, 0.9f, 10f);
    }

    [Fact]
    public void ModelsWithNothingToQuantiseStayValid()
    {
        var b = new Onnx.Graphs.OnnxGraphBuilder("identity");
        string x = b.Input("input", [1, 4, 8, 8]);
        b.Output(b.Rename(b.Identity(x, "identity"), "output"), [1, 4, 8, 8]);
        ModelProto fp32 = b.Build();
        (ModelProto int8, QuantizationSummary summary) = Int8Quantizer.Quantize(fp32, CalibrationSet.Random(fp32, 2, seed: 1), new QuantizationOptions(), Ort);
        Assert.Equal(0, summary.QuantizeNodes);
        Assert.Equal(1.0, PrecisionComparison.Compare(fp32, int8, CalibrationSet.Random(fp32, 1, seed: 2), Ort).ArgmaxAgreement);
    }

    [Fact]
    public void AnAlreadyQuantisedModelIsRejected()
    {
        ModelProto fp32 = TinyNetwork.Build();
        ModelProto int8 = Int8Quantizer.Quantize(fp32, CalibrationData.SyntheticScenes(fp32, 1, seed: 3), new QuantizationOptions(), Ort).Model;
        var e = Assert.Throws<Core.NasException>(() => Int8Quantizer.Quantize(int8, CalibrationData.SyntheticScenes(fp32, 1, seed: 3), new QuantizationOptions(), Ort));
        Assert.Contains("already quantised", e.Message);
    }
}
