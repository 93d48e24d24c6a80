using Google.Protobuf;
using Nas.Core;
using Nas.Data.Metrics;
using Nas.Data.Synthetic;
using Nas.Deploy.Calibration;
using Nas.Deploy.Evaluation;
using Nas.Deploy.Quantization;
using Nas.Onnx.Graphs;
using Nas.Onnx.Protos;
using Nas.Onnx.Runtime;
using Nas.TestSupport;

namespace Nas.Deploy.Tests;

public class OnnxEvaluatorTests
{
    [Fact]
    public void FixedSizeModelsAreEvaluatedAtTheirSizeWhateverTheBatchAndOutputKind()
    {
        using var dir = new TempDirectory();
        SyntheticRailGenerator.WriteDataset(dir.Path, 5, 96, 192, seed: 4);
        string logits = dir.Combine("logits.onnx"), labels = dir.Combine("labels.onnx"), batched = dir.Combine("batched.onnx");
        OnnxModelFile.Save(TinyNetwork.Build(), logits);
        OnnxModelFile.Save(TinyNetwork.Build(argmax: true), labels);
        OnnxModelFile.Save(TinyNetwork.Build(batch: 2), batched);
        var options = new OnnxEvalOptions { Model = logits, Dataset = "synthetic", Root = dir.Path, Split = "all", Ort = new OrtOptions { IntraOpThreads = 1 } };

        SegmentationReport a = OnnxEvaluator.Evaluate(options);
        SegmentationReport b = OnnxEvaluator.Evaluate(options with { Model = labels });
        SegmentationReport c = OnnxEvaluator.Evaluate(options with { Model = batched });
        Assert.Equal(5, a.Images);
        Assert.Equal(5, c.Images);
        Assert.Equal(5L * 64 * 128, a.Pixels + Unlabelled(a));
        Assert.Equal(a.Miou, b.Miou, 12);
        Assert.Equal(a.Miou, c.Miou, 12);
        Assert.Equal(a.ClassIou, b.ClassIou);

        var e = Assert.Throws<NasException>(() => OnnxEvaluator.Evaluate(options with { Input = "32x64" }));
        Assert.Contains("64x128", e.Message);
        e = Assert.Throws<NasException>(() => OnnxEvaluator.Evaluate(options with { Model = dir.Combine("missing.onnx") }));
        Assert.Contains("missing.onnx", e.Message);
    }

    [Fact]
    public void ClassCountMismatchIsAnError()
    {
        using var dir = new TempDirectory();
        SyntheticRailGenerator.WriteDataset(dir.Path, 2, 64, 128, seed: 4);
        string path = dir.Combine("five.onnx");
        OnnxModelFile.Save(TinyNetwork.Build(classes: 5), path);
        var e = Assert.Throws<NasException>(() => OnnxEvaluator.Evaluate(new OnnxEvalOptions { Model = path, Dataset = "synthetic", Root = dir.Path, Split = "all" }));
        Assert.Contains("5 classes", e.Message);
    }

    [Fact]
    public void Int8AndFp32ScoresAreReportedSideBySide()
    {
        using var dir = new TempDirectory();
        SyntheticRailGenerator.WriteDataset(dir.Path, 6, 64, 128, seed: 4);
        ModelProto fp32 = TinyNetwork.Build();
        ModelProto int8 = Int8Quantizer.Quantize(fp32, CalibrationData.SyntheticScenes(fp32, 4, seed: 9), new QuantizationOptions(), new OrtOptions { IntraOpThreads = 1 }).Model;
        OnnxModelFile.Save(fp32, dir.Combine("fp32.onnx"));
        File.WriteAllBytes(dir.Combine("int8.onnx"), int8.ToByteArray());
        var options = new OnnxEvalOptions { Model = dir.Combine("fp32.onnx"), Dataset = "synthetic", Root = dir.Path, Split = "all" };
        SegmentationReport a = OnnxEvaluator.Evaluate(options);
        SegmentationReport b = OnnxEvaluator.Evaluate(options with { Model = dir.Combine("int8.onnx") });
        Assert.Equal(a.Pixels, b.Pixels);
        Assert.InRange(b.PixelAccuracy, a.PixelAccuracy - 0.05, a.PixelAccuracy + 0.05);
    }

    private static long Unlabelled(SegmentationReport r) => 5L * 64 * 128 - r.Pixels;
}
