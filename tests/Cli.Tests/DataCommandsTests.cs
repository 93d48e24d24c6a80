using Nas.TestSupport;

namespace Nas.Cli.Tests;

public class DataCommandsTests
{
    [Fact]
    public void SynthThenCheckSucceeds()
    {
        using var dir = new TempDirectory();
        (int code, string output, string error) = CliRunner.Run("data", "synth", "--out", dir.Path, "--count", "6", "--size", "64x128", "--seed", "4");
        Assert.True(code == 0, error);
        Assert.Contains("wrote 6 scenes of 64x128", output);
        Assert.Equal(6, Directory.GetFiles(dir.Combine("jpgs", "rs19_val"), "*.jpg").Length);
        Assert.Equal(6, Directory.GetFiles(dir.Combine("uint8", "rs19_val"), "*.png").Length);

        (code, output, error) = CliRunner.Run("data", "check", "--dataset", "synthetic", "--root", dir.Path, "--split", "all");
        Assert.True(code == 0, error);
        Assert.Contains("rail-raised", output);
        Assert.Contains("6 image/label pairs checked", output);
        Assert.Contains("64x128 (6)", output);
        Assert.Contains("no problems found", output);
    }

    [Fact]
    public void CheckListsProblemsAndFails()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, CliRunner.Run("data", "synth", "--out", dir.Path, "--count", "4", "--size", "64x128").Code);
        File.Delete(dir.Combine("uint8", "rs19_val", "rs00001.png"));
        File.WriteAllBytes(dir.Combine("jpgs", "rs19_val", "rs00002.jpg"), [1, 2, 3]);
        (int code, string output, string error) = CliRunner.Run("data", "check", "--dataset", "railsem19", "--root", dir.Path, "--split", "all", "--max-problems", "1");
        Assert.Equal(NasCli.ExitBadInput, code);
        Assert.Contains("3 image/label pairs checked", output); // the unpaired image is a problem, not a pair
        Assert.Contains("rail-raised", output);
        Assert.Contains("problem: ", error);
        Assert.Contains("error: 2 problems found", error);
        Assert.Contains("(first 1 listed)", error);
    }

    [Fact]
    public void BadArgumentsGiveOneLineErrors()
    {
        using var dir = new TempDirectory();
        (int code, _, string error) = CliRunner.Run("data", "synth", "--out", dir.Path, "--size", "big");
        Assert.Equal(NasCli.ExitBadInput, code);
        Assert.Contains("error: --size 'big'", error);

        (code, _, error) = CliRunner.Run("data", "check", "--dataset", "nope", "--root", dir.Path);
        Assert.Equal(NasCli.ExitBadInput, code);
        Assert.Contains("unknown dataset 'nope'", error);

        (code, _, error) = CliRunner.Run("data", "check", "--dataset", "cityscapes", "--root", dir.Path, "--split", "val");
        Assert.Equal(NasCli.ExitBadInput, code);
        Assert.Contains("leftImg8bit", error);
        Assert.Single(error.Trim().Split('\n'));
    }
}
