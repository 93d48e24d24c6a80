using Nas.Core;
using Nas.Data.Synthetic;
using Nas.Deploy.Calibration;
using Nas.Onnx.Protos;
using Nas.TestSupport;

namespace Nas.Deploy.Tests;

public class CalibrationDataTests
{
    [Fact]
    public void DatasetImagesAreNormalisedLikeEvaluationAndSpreadOverTheSplit()
    {
        using var dir = new TempDirectory();
        SyntheticRailGenerator.WriteDataset(dir.Path, 10, 64, 128, seed: 2);
        ModelProto model = TinyNetwork.Build();
        CalibrationSet set = CalibrationData.FromDataset(new CalibrationSpec { Dataset = "synthetic", Root = dir.Path, Split = "all", Images = 4 }, model);
        Assert.Equal(4, set.Count);
        float[] first = set.Load(0).Inputs["input"];
        Assert.Equal(3 * 64 * 128, first.Length);
        Assert.InRange(first.Min(), -2.2f, -0.5f);
        Assert.InRange(first.Max(), 0.5f, 2.7f);
        Assert.NotEqual(set.Load(1).Source, set.Load(0).Source);
    }

    [Fact]
    public void WrongSizeCorruptAndEmptyDataAreOneLineErrorsNamingTheFile()
    {
        using var dir = new TempDirectory();
        SyntheticRailGenerator.WriteDataset(dir.Path, 3, 32, 64, seed: 2);
        ModelProto model = TinyNetwork.Build();
        var spec = new CalibrationSpec { Dataset = "synthetic", Root = dir.Path, Split = "all", Images = 3 };
        var e = Assert.Throws<NasException>(() => CalibrationData.FromDataset(spec, model));
        Assert.Contains("rs00000.jpg", e.Message);
        Assert.Contains("64x32", e.Message);
        Assert.Contains("128x64", e.Message);
        Assert.DoesNotContain('\n', e.Message);

        // With --calibration-resize the same images are resized to the model input.
        Assert.Equal(3 * 64 * 128, CalibrationData.FromDataset(spec with { Resize = true }, model).Load(0).Inputs["input"].Length);

        string image = Path.Combine(dir.Path, "jpgs", "rs19_val", "rs00001.jpg");
        File.WriteAllBytes(image, File.ReadAllBytes(image)[..40]);
        e = Assert.Throws<NasException>(() =>
        {
            CalibrationSet set = CalibrationData.FromDataset(spec with { Resize = true }, model);
            for (int i = 0; i < set.Count; i++)
            {
                set.Load(i);
            }
        });
        Assert.Contains("rs00001.jpg", e.Message);
        Assert.DoesNotContain('\n', e.Message);

        string empty = dir.Combine("empty");
        Directory.CreateDirectory(Path.Combine(empty, "jpgs", "rs19_val"));
        Directory.CreateDirectory(Path.Combine(empty, "uint8", "rs19_val"));
        e = Assert.Throws<NasException>(() => CalibrationData.FromDataset(spec with { Root = empty }, model));
        Assert.Contains(empty, e.Message);
    }

    [Fact]
    public void AModelThatDoesNotTakeRgbImagesIsRejected()
    {
        var b = new Onnx.Graphs.OnnxGraphBuilder("gray");
        string x = b.Input("input", [1, 1, 8, 8]);
        b.Output(b.Rename(b.Relu(x, "relu"), "output"), [1, 1, 8, 8]);
        using var dir = new TempDirectory();
        SyntheticRailGenerator.WriteDataset(dir.Path, 2, 32, 32, seed: 2);
        var e = Assert.Throws<NasException>(() => CalibrationData.FromDataset(new CalibrationSpec { Dataset = "synthetic", Root = dir.Path, Split = "all" }, b.Build()));
        Assert.Contains("1 channels", e.Message);
    }

    [Fact]
    public void Int8WithoutCalibrationDataIsRejectedBeforeAnythingRuns()
    {
        var e = Assert.Throws<NasException>(() => new PrecisionOptions { Precision = Precision.Int8 }.Validate());
        Assert.Contains("--calibration-dataset", e.Message);
        e = Assert.Throws<NasException>(() => new PrecisionOptions { Precision = Precision.Int8, Calibration = new CalibrationSpec { Dataset = "nope", Root = "." } }.Validate());
        Assert.Contains("nope", e.Message);
    }
}
