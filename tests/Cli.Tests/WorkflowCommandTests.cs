using Nas.Core.Genotypes;
using Nas.TestSupport;

namespace Nas.Cli.Tests;

public class WorkflowCommandTests
{
    [Fact]
    public void SynthSearchTrainEvalPredictRunEndToEnd()
    {
        using var dir = new TempDirectory();
        string synth = dir.Combine("synth");
        Assert.Equal(0, CliRunner.Run("data", "synth", "--out", synth, "--count", "24", "--size", "64x128", "--seed", "3").Code);
        (int code, string output, string error) = CliRunner.Run("data", "check", "--dataset", "synthetic", "--root", synth, "--split", "all");
        Assert.True(code == 0, error);
        Assert.Contains("rail-raised", output);

        string search = dir.Combine("search");
        (code, _, error) = CliRunner.Run("search", "--dataset", "synthetic", "--root", synth, "--input", "64x128", "--epochs", "2", "--warmup-epochs", "1",
            "--batch", "2", "--lambda", "1", "--out", search);
        Assert.True(code == 0, error);
        NamedGenotype found = GenotypeFile.Load(Path.Combine(search, "genotype.json"));
        Assert.Equal(20, found.Genotype.Ops.Count);
        Assert.True(File.Exists(Path.Combine(search, "plots", "probabilities.png")));

        (code, _, error) = CliRunner.Run("search", "--dataset", "synthetic", "--root", synth, "--input", "64x128", "--epochs", "2", "--warmup-epochs", "1", "--out", search);
        Assert.Equal(1, code);
        Assert.Contains("--resume", error);

        string train = dir.Combine("train");
        (code, _, error) = CliRunner.Run("train", "--arch", Path.Combine(search, "genotype.json"), "--dataset", "synthetic", "--root", synth, "--crop", "64x128",
            "--epochs", "2", "--batch", "2", "--out", train);
        Assert.True(code == 0, error);
        string ckpt = Path.Combine(train, "checkpoints", "best.ckpt");
        string report = dir.Combine("eval.json");
        (code, output, error) = CliRunner.Run("eval", "--checkpoint", ckpt, "--dataset", "synthetic", "--root", synth, "--split", "val", "--json", report);
        Assert.True(code == 0, error);
        Assert.Contains("\"class_iou\"", File.ReadAllText(report));

        string pred = dir.Combine("pred.png");
        (code, _, error) = CliRunner.Run("predict", "--checkpoint", ckpt, "--image", Path.Combine(synth, "jpgs", "rs19_val", "rs00000.jpg"), "-o", pred, "--overlay");
        Assert.True(code == 0, error);
        Assert.True(new FileInfo(pred).Length > 0);
    }

    [Fact]
    public void BadDataInputsAreNamed()
    {
        using var dir = new TempDirectory();
        (int code, _, string error) = CliRunner.Run("train", "--dataset", "synthetic", "--root", dir.Combine("missing"), "--out", dir.Combine("run"));
        Assert.Equal(1, code);
        Assert.Contains("missing", error);

        Directory.CreateDirectory(dir.Combine("empty", "jpgs", "rs19_val"));
        Directory.CreateDirectory(dir.Combine("empty", "uint8", "rs19_val"));
        (code, _, error) = CliRunner.Run("search", "--dataset", "railsem19", "--root", dir.Combine("empty"), "--out", dir.Combine("run2"));
        Assert.Equal(1, code);
        Assert.Contains("no images", error);

        (code, _, error) = CliRunner.Run("search", "--dataset", "synthetic", "--root", dir.Path, "--mode", "sideways", "--out", dir.Combine("run3"));
        Assert.NotEqual(0, code);
        Assert.Contains("sideways", error);
    }

    [SkippableFact]
    public void WeightsImportWritesACheckpointAndRejectsTheWrongNetwork()
    {
        string? pth = SharedAssets.File("pretrained", "squeezenas", "lat_small.pth");
        Skip.If(pth is null, "needs ../shared/pretrained/squeezenas/lat_small.pth");
        using var dir = new TempDirectory();
        (int code, string output, string error) = CliRunner.Run("weights", "import", pth!, "--arch", "squeezenas-lat-small", "-o", dir.Combine("lat.ckpt"));
        Assert.True(code == 0, error);
        Assert.Contains("loaded", output);
        (code, _, error) = CliRunner.Run("weights", "import", pth!, "--arch", "squeezenas-mac-large", "-o", dir.Combine("wrong.ckpt"));
        Assert.Equal(1, code);
        Assert.Contains("lat_small.pth", error);
        Assert.False(File.Exists(dir.Combine("wrong.ckpt")));

        File.WriteAllBytes(dir.Combine("cut.pth"), File.ReadAllBytes(pth!)[..5000]);
        (code, _, error) = CliRunner.Run("weights", "import", dir.Combine("cut.pth"), "--arch", "squeezenas-lat-small", "-o", dir.Combine("cut.ckpt"));
        Assert.Equal(1, code);
        Assert.Contains("cut.pth", error);
    }

    [Fact]
    public void Train_refuses_a_crop_the_network_cannot_take_before_creating_the_run()
    {
        using var dir = new TempDirectory();
        string synth = dir.Combine("synth");
        Assert.Equal(0, CliRunner.Run("data", "synth", "--out", synth, "--count", "8", "--size", "48x80", "--seed", "3").Code);
        (int code, _, string error) = CliRunner.Run("train", "--arch", "unet-lite", "--dataset", "synthetic", "--root", synth, "--crop", "40x72",
            "--epochs", "1", "--out", dir.Combine("run"));
        Assert.Equal(1, code);
        Assert.StartsWith("error: --crop 40x72: 'unet-lite' cannot take an input of 40x72: it needs height and width multiples of 16", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(Directory.Exists(dir.Combine("run")));
    }
}
