using System.Globalization;
using System.Text.Json;
using Nas.Core.Genotypes;
using Nas.Onnx.Graphs;
using Nas.Onnx.Protos;
using Nas.Supernet.Checkpoints;
using Nas.Supernet.Networks;
using Nas.TestSupport;

namespace Nas.Cli.Tests;

/// <summary><c>nas export onnx --int8/--fp16</c> and <c>nas eval --onnx</c> through the CLI.</summary>
public class DeployCommandTests
{
    [Fact]
    public void OnnxEvaluationMatchesTorchSharpAndQuantisedExportsRun()
    {
        using var dir = new TempDirectory();
        string synth = dir.Combine("synth");
        Assert.Equal(0, CliRunner.Run("data", "synth", "--out", synth, "--count", "6", "--size", "64x128", "--seed", "5").Code);
        string ckpt = dir.Combine("net.ckpt");
        using (var net = new NetworkModule(Nas.Models.Registry.ModelRegistry.Resolve("squeezenas-mac-small")))
        {
            NasCheckpoint.Save(ckpt, net, NasCheckpoint.MetadataFor(net, "test"));
        }

        // FP32 through ONNX Runtime gives the same scores as the TorchSharp evaluation at the same size.
        string fp32 = dir.Combine("fp32.onnx");
        (int code, _, string error) = CliRunner.Run("export", "onnx", "--checkpoint", ckpt, "--input", "1x3x64x128", "-o", fp32);
        Assert.True(code == 0, error);
        JsonElement torch = Eval(dir, "--checkpoint", ckpt, "--input", "64x128");
        JsonElement ort = Eval(dir, "--onnx", fp32);
        Assert.Equal(torch.GetProperty("pixels").GetInt64(), ort.GetProperty("pixels").GetInt64());
        Assert.Equal(torch.GetProperty("miou").GetDouble(), ort.GetProperty("miou").GetDouble(), 3);
        Assert.Equal(torch.GetProperty("pixel_accuracy").GetDouble(), ort.GetProperty("pixel_accuracy").GetDouble(), 3);

        // INT8: a QDQ file with per-channel weight scales and calibration metadata; --verify compares with FP32.
        string int8 = dir.Combine("int8.onnx");
        (code, string output, error) = CliRunner.Run("export", "onnx", "--checkpoint", ckpt, "--input", "1x3x64x128", "-o", int8, "--int8",
            "--calibration-dataset", "synthetic", "--calibration-root", synth, "--calibration-split", "all", "--calibration-images", "4", "--verify");
        Assert.True(code == 0, error);
        Assert.Contains("verify INT8", output);
        Assert.Contains("argmax agreement", output);
        ModelProto q = OnnxModelFile.Load(int8);
        Assert.Contains(q.Graph.Node, n => n.OpType == "QuantizeLinear");
        Assert.Contains(q.Graph.Node, n => n.OpType == "DequantizeLinear" && n.Attribute.Any(a => a.Name == "axis"));
        var meta = OnnxModelFile.Metadata(q);
        Assert.Equal("int8", meta["precision"]);
        Assert.Equal("percentile", meta["calibration_method"]);
        Assert.Equal("4", meta["calibration_images"]);
        Assert.Equal(99.99, double.Parse(meta["calibration_percentile"], CultureInfo.InvariantCulture));
        Assert.True(Eval(dir, "--onnx", int8).GetProperty("pixels").GetInt64() > 0);

        string fp16 = dir.Combine("fp16.onnx");
        (code, output, error) = CliRunner.Run("export", "onnx", "--checkpoint", ckpt, "--input", "1x3x64x128", "-o", fp16, "--fp16", "--verify");
        Assert.True(code == 0, error);
        Assert.Contains("verify FP16", output);
        Assert.Equal("fp16", OnnxModelFile.Metadata(OnnxModelFile.Load(fp16))["precision"]);
    }

    [Fact]
    public void BadCalibrationInputIsAOneLineErrorAndLeavesNoFile()
    {
        using var dir = new TempDirectory();
        string synth = dir.Combine("synth");
        Assert.Equal(0, CliRunner.Run("data", "synth", "--out", synth, "--count", "3", "--size", "64x128", "--seed", "5").Code);
        string target = dir.Combine("model.onnx");
        string[] export = ["export", "onnx", "squeezenas-mac-small", "--input", "1x3x64x128", "-o", target, "--int8"];

        (int code, _, string error) = CliRunner.Run(export);
        Assert.Equal(1, code);
        Assert.Contains("--calibration-dataset", error);

        (code, _, error) = CliRunner.Run([.. export, "--fp16"]);
        Assert.Equal(1, code);
        Assert.Contains("--fp16", error);

        string[] calibration = ["--calibration-dataset", "synthetic", "--calibration-root", synth, "--calibration-split", "all"];
        (code, _, error) = CliRunner.Run(["export", "onnx", "squeezenas-mac-small", "--input", "1x3x32x64", "-o", target, "--int8", .. calibration]);
        Assert.Equal(1, code);
        Assert.Contains("rs00000.jpg", error);
        Assert.Contains("model input is 64x32", error);

        string image = Path.Combine(synth, "jpgs", "rs19_val", "rs00002.jpg");
        File.WriteAllBytes(image, File.ReadAllBytes(image)[..100]);
        (code, _, error) = CliRunner.Run([.. export, .. calibration]);
        Assert.Equal(1, code);
        Assert.Contains("rs00002.jpg", error);
        Assert.Single(error.Trim().Split('\n'));

        Directory.CreateDirectory(dir.Combine("empty"));
        (code, _, error) = CliRunner.Run([.. export, "--calibration-dataset", "folder", "--calibration-root", dir.Combine("empty")]);
        Assert.Equal(1, code);
        Assert.Contains("empty", error);
        Assert.False(File.Exists(target));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp*"));
    }

    private static JsonElement Eval(TempDirectory dir, params string[] args)
    {
        string json = dir.Combine($"eval-{Guid.NewGuid():N}.json");
        (int code, _, string error) = CliRunner.Run(["eval", .. args, "--dataset", "synthetic", "--root", dir.Combine("synth"), "--split", "all", "--json", json]);
        Assert.True(code == 0, error);
        return JsonDocument.Parse(File.ReadAllText(json)).RootElement;
    }
}
