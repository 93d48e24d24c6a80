using Nas.Core.SearchSpaces;
using Nas.Data.Synthetic;
using Nas.Latency.Kits;
using Nas.Onnx.Graphs;
using Nas.TestSupport;

namespace Nas.Cli.Tests;

/// <summary>
/// <c>nas lut run-kit</c> must work where TorchSharp does not exist (linux-arm64, e.g. a Jetson), and export, architecture
/// inspection, weight import and <c>eval --onnx</c> never load it (they work from the layer graph and torch-free checkpoints). The test
/// runs the built CLI from a copy of its folder with every TorchSharp/libtorch file removed: those commands succeed,
/// while <c>export --verify</c>, which runs the network in TorchSharp, fails there (so the copy really lacks it).
/// </summary>
public class RunKitWithoutTorchTests
{
    [SkippableFact]
    public void RunKitNeverLoadsTorchSharp()
    {
        string? cliDir = CliProcess.FindOutput();
        Skip.If(cliDir is null, "the nas CLI build output (src/Cli/bin/<config>/net10.0) is not present");
        using var dir = new TempDirectory();
        string farm = dir.Combine("cli");
        Directory.CreateDirectory(farm);
        // The host resolves the app folder from the real path of nas.dll, so managed files are copied; of the native
        // libraries only ONNX Runtime's and SkiaSharp's come along (no libtorch, no LibTorchSharp).
        foreach (string file in Directory.EnumerateFiles(cliDir!))
        {
            string name = Path.GetFileName(file);
            if (!name.Contains("torch", StringComparison.OrdinalIgnoreCase))
            {
                File.Copy(file, Path.Combine(farm, name));
            }
        }

        string nativeSource = Path.Combine(cliDir!, "runtimes", "linux-x64", "native");
        string nativeTarget = Path.Combine(farm, "runtimes", "linux-x64", "native");
        Directory.CreateDirectory(nativeTarget);
        foreach (string file in Directory.EnumerateFiles(nativeSource))
        {
            string name = Path.GetFileName(file);
            if (name.StartsWith("libonnxruntime", StringComparison.Ordinal) || name.StartsWith("libSkiaSharp", StringComparison.Ordinal) || name.StartsWith("libHarfBuzzSharp", StringComparison.Ordinal))
            {
                File.CreateSymbolicLink(Path.Combine(nativeTarget, name), file);
            }
        }

        SearchSpace space = SearchSpace.Create(SearchSpaceCatalog.Small.Definition with
        {
            Name = "kit-tiny",
            StemChannels = 8,
            Stages = [new(8, 1, 2), new(16, 1, 2), new(16, 1, 2), new(16, 1, 1)],
            LastConvChannels = null,
            SkipBlockIndex = 1,
            HeadChannels = 8,
            Candidates = ["k3_e1_g1", "skip"],
        });
        KitBuilder.Build(space, new InputSize(32, 64), 3, dir.Combine("kit"));

        (int code, string output) = CliProcess.Run(farm, "lut", "run-kit", dir.Combine("kit"), "--runs", "2", "--warmup", "0", "-o", dir.Combine("kit.csv"));
        Assert.True(code == 0, output);
        Assert.True(File.Exists(dir.Combine("kit.csv")));

        // nas eval --onnx scores a model through ONNX Runtime without TorchSharp too.
        SyntheticRailGenerator.WriteDataset(dir.Combine("synth"), 3, 32, 64, seed: 1);
        var builder = new OnnxGraphBuilder("tiny");
        string x = builder.Input("input", [1, 3, 32, 64]);
        float[] weight = Enumerable.Range(0, 19 * 3).Select(i => (float)Math.Sin(i)).ToArray();
        builder.Output(builder.Rename(builder.Conv(x, "classifier", weight, [19, 3, 1, 1], null), "logits"), [1, 19, 32, 64]);
        OnnxModelFile.Save(builder.Build(), dir.Combine("tiny.onnx"));
        (code, output) = CliProcess.Run(farm, "eval", "--onnx", dir.Combine("tiny.onnx"), "--dataset", "synthetic", "--root", dir.Combine("synth"), "--split", "all");
        Assert.True(code == 0, output);
        Assert.Contains("mIoU", output);

        foreach (string[] command in new[]
        {
            new[] { "export", "onnx", "squeezenas-mac-small", "--input", "1x3x32x64", "-o", dir.Combine("x.onnx") },
            new[] { "arch", "show", "squeezenas-lat-large", "--input", "64x128" },
            new[] { "arch", "show", "squeezenas-mac-small", "--json" },
            new[] { "arch", "list", "--input", "64x128" },
        })
        {
            (int c, string o) = CliProcess.Run(farm, command);
            Assert.True(c == 0, $"{string.Join(' ', command)}: {o}");
        }

        Assert.True(File.Exists(dir.Combine("x.onnx")));
        (int torchCode, string torchOutput) = CliProcess.Run(farm, "export", "onnx", "squeezenas-mac-small", "--input", "1x3x32x64", "-o", dir.Combine("y.onnx"), "--verify");
        Assert.NotEqual(0, torchCode);
        Assert.Contains("TorchSharp", torchOutput);
    }
}
