using Nas.Core.Genotypes;
using Nas.Data.Images;
using Nas.Models.Registry;
using Nas.Supernet;
using Nas.Supernet.Checkpoints;
using Nas.Supernet.Networks;
using Nas.TestSupport;

namespace Nas.Cli.Tests;

/// <summary>The problems a new user met first (issue 9): each command line here once misbehaved.</summary>
public class FirstContactTests
{
    public static TheoryData<string[], string> BadSearches => new()
    {
        { ["--lambda", "-1"], "--lambda must be a finite number >= 0 (got -1)" },
        { ["--threads", "0"], "--threads must be >= 1 (got 0)" },
        { ["--workers", "-1"], "--workers must be >= 0 (got -1" },
        { ["--loss", "fbnet"], "the fbnet loss takes log(cost)" },
        { ["--limit", "0"], "--limit must be >= 1 (got 0)" },
        { ["--input", "4096x8192"], "--input 4096x8192 is far larger than the training images (64x128)" },
        { ["--warmup-epochs", "5"], "--warmup-epochs must be in [0, epochs - 1]" },
    };

    public static TheoryData<string[], string> BadTrainings => new()
    {
        { ["--init", "missing.ckpt"], "--init file not found: 'missing.ckpt'" },
        { ["--threads", "0"], "--threads must be >= 1 (got 0)" },
        { ["--workers", "-1"], "--workers must be >= 0 (got -1" },
        { ["--crop", "4096x8192"], "--crop 4096x8192 is far larger than the training images (64x128), even at the largest augmentation scale 2 (128x256): most of every crop would be padding; use --crop 256x512 or smaller" },
        { ["--crop", "100000x5"], "each side must be between 1 and 32768" },
        { ["--eval-size", "big"], "--eval-size 'big' is not HxW" },
        { ["--lr", "-1"], "--lr must be a positive number" },
    };

    [Theory]
    [MemberData(nameof(BadSearches))]
    public void SearchOptionErrorsComeBeforeTheRunFolderExists(string[] bad, string expected)
    {
        using var dir = new TempDirectory();
        string synth = Synth(dir, 12);
        string run = dir.Combine("run");
        (int code, _, string error) = CliRunner.Run(["search", "--dataset", "synthetic", "--root", synth, .. WithDefaults(bad, "--input", "64x128", "--epochs", "2", "--warmup-epochs", "1", "--batch", "2"), "-o", run]);
        Assert.Equal(1, code);
        Assert.Contains(expected, error);
        Assert.False(Directory.Exists(run), "the run folder was created before the error");
    }

    [Theory]
    [MemberData(nameof(BadTrainings))]
    public void TrainOptionErrorsComeBeforeTheRunFolderExists(string[] bad, string expected)
    {
        using var dir = new TempDirectory();
        string synth = Synth(dir, 12);
        string run = dir.Combine("run");
        (int code, _, string error) = CliRunner.Run(["train", "--dataset", "synthetic", "--root", synth, .. WithDefaults(bad, "--crop", "64x128", "--epochs", "1", "--batch", "2"), "-o", run]);
        Assert.Equal(1, code);
        Assert.Contains(expected, error);
        Assert.False(Directory.Exists(run), "the run folder was created before the error");
    }

    [Fact]
    public void ACropTheMachineCannotHoldIsRefusedWithAnEstimate()
    {
        using var dir = new TempDirectory();
        string synth = Synth(dir, 12);
        string config = dir.Combine("config.json");
        File.WriteAllText(config, "{\"data\": {\"scale_max\": 1000}}");
        string run = dir.Combine("run");
        (int code, _, string error) = CliRunner.Run("train", "--config", config, "--dataset", "synthetic", "--root", synth, "--crop", "16384x16384", "-o", run);
        Assert.Equal(1, code);
        Assert.Contains("--crop 16384x16384 with --batch 4 needs about", error);
        Assert.Contains("GiB for training (estimate", error);
        Assert.False(Directory.Exists(run));
    }

    [Theory]
    [InlineData("lut", "macs")]
    [InlineData("lut", "kit")]
    [InlineData("arch", "sample", "--target", "0.3")]
    public void AHeadWithoutClassesIsRefusedBeforeWriting(params string[] command)
    {
        using var dir = new TempDirectory();
        string output = dir.Combine("out");
        (int code, _, string error) = CliRunner.Run([.. command, "--input", "64x128", "--classes", "0", "-o", output]);
        Assert.Equal(1, code);
        Assert.Contains("--classes must be >= 1 (got 0)", error);
        Assert.False(Path.Exists(output));
    }

    [Fact]
    public void ParseAndConfigErrorsSpeakUserWords()
    {
        using var dir = new TempDirectory();
        (int code, _, string error) = CliRunner.Run("train", "--epochs", "abc", "-o", dir.Combine("run"));
        Assert.Equal(1, code);
        Assert.Contains("Cannot parse argument 'abc' for option '--epochs': expected an integer", error);
        Assert.DoesNotContain("System.", error);
        Assert.DoesNotContain("Usage:", error);

        string truncated = dir.Combine("cut.json");
        File.WriteAllText(truncated, "{\n  \"arch\": \"squeezenas-mac-small\",\n  \"train\": {\n    \"epochs\": 3,\n");
        (code, _, error) = CliRunner.Run("train", "--config", truncated, "-o", dir.Combine("run"));
        Assert.Equal(1, code);
        Assert.Contains("cut.json: the JSON ends early at line 5, position 1 (the file looks truncated)", error);

        string wrongType = dir.Combine("list.json");
        File.WriteAllText(wrongType, "[]");
        (code, _, error) = CliRunner.Run("train", "--config", wrongType, "-o", dir.Combine("run"));
        Assert.Equal(1, code);
        Assert.Contains("list.json: the document must be a JSON object (got a list)", error);
        Assert.DoesNotContain("Nas.", error);
        Assert.False(Directory.Exists(dir.Combine("run")));
    }

    [Theory]
    [InlineData("train")]
    [InlineData("search")]
    [InlineData("data", "synth")]
    [InlineData("demo")]
    [InlineData("export", "onnx")]
    public void EveryCommandWritesWithDashOOutputAndRendersDefaultsTheSameWay(params string[] command)
    {
        (int code, string output, _) = CliRunner.Run([.. command, "--help"]);
        Assert.Equal(0, code);
        Assert.Contains("-o, --output <output>", output);
        Assert.DoesNotContain("--out ", output);
        Assert.DoesNotContain("(default ", output);
        Assert.Contains("[default: ", output);
    }

    [Fact]
    public void TheOldOutSpellingStillWorksAndOutputIsRequired()
    {
        using var dir = new TempDirectory();
        (int code, _, string error) = CliRunner.Run("data", "synth", "--out", dir.Combine("a"), "--count", "2", "--size", "32x64");
        Assert.True(code == 0, error);
        Assert.True(Directory.Exists(dir.Combine("a")));
        (code, _, error) = CliRunner.Run("data", "synth", $"--out={dir.Combine("b")}", "--count", "2", "--size", "32x64");
        Assert.True(code == 0, error);
        Assert.True(Directory.Exists(dir.Combine("b")));
        (code, _, error) = CliRunner.Run("train", "--dataset", "synthetic");
        Assert.Equal(1, code);
        Assert.Contains("'--output' is required", error);
    }

    [Fact]
    public void PredictFailsBeforeWritingOnACorruptImageOrSkipsItWhenAsked()
    {
        using var dir = new TempDirectory();
        string ckpt = dir.Combine("net.ckpt");
        TorchRuntime.SetThreads(2);
        using (var network = new NetworkModule(ModelRegistry.Resolve("squeezenas-lat-small", 3)))
        {
            NasCheckpoint.Save(ckpt, network, NasCheckpoint.MetadataFor(network));
        }

        string images = dir.Combine("images");
        Directory.CreateDirectory(images);
        var image = new RgbImage(64, 32);
        ImageCodec.Write(Path.Combine(images, "a.png"), image);
        File.WriteAllBytes(Path.Combine(images, "b.png"), [137, 80, 78, 71, 1, 2, 3]);
        ImageCodec.Write(Path.Combine(images, "c.png"), image);

        string output = dir.Combine("out");
        (int code, _, string error) = CliRunner.Run("predict", "--checkpoint", ckpt, "--image", images, "-o", output);
        Assert.Equal(1, code);
        Assert.Contains("b.png", error);
        Assert.Contains("--skip-bad", error);
        Assert.False(Directory.Exists(output), "predict wrote outputs before failing");

        (code, string stdout, error) = CliRunner.Run("predict", "--checkpoint", ckpt, "--image", images, "-o", output, "--skip-bad");
        Assert.True(code == 0, error);
        Assert.Contains("skipped 1 unreadable image", stdout);
        Assert.Contains("b.png", error);
        Assert.Equal(["a.png", "c.png"], Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ExportArgmaxVerifyChecksTheLabelFileItWrote()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("labels.onnx");
        (int code, string output, string error) = CliRunner.Run("export", "onnx", "squeezenas-lat-small", "--input", "1x3x64x128", "--argmax", "-o", path, "--verify");
        Assert.True(code == 0, error);
        Assert.Contains("verify labels.onnx: labels of ONNX Runtime = TorchSharp's argmax at", output);
        Assert.Contains(" of 8,192 pixels", output);
        Assert.Contains("ok", output);
    }

    /// <summary><paramref name="bad"/> plus each (option, value) of <paramref name="defaults"/> that it does not give itself.</summary>
    private static string[] WithDefaults(string[] bad, params string[] defaults)
    {
        var args = new List<string>(bad);
        for (int i = 0; i < defaults.Length; i += 2)
        {
            if (!bad.Contains(defaults[i]))
            {
                args.AddRange([defaults[i], defaults[i + 1]]);
            }
        }

        return [.. args];
    }

    private static string Synth(TempDirectory dir, int count)
    {
        string synth = dir.Combine("synth");
        (int code, _, string error) = CliRunner.Run("data", "synth", "-o", synth, "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "--size", "64x128", "--seed", "3");
        Assert.True(code == 0, error);
        return synth;
    }
}
