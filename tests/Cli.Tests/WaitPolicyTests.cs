using System.CommandLine;
using Nas.Core.Threading;
using Nas.TestSupport;

namespace Nas.Cli.Tests;

/// <summary>
/// Latency-measuring commands keep libgomp's spinning workers; every other command makes them sleep when idle
/// (OMP_WAIT_POLICY=PASSIVE, set natively before libtorch loads), unless the user chose otherwise. libgomp reports
/// the values it read at load time with OMP_DISPLAY_ENV=VERBOSE, which is what the child-process tests check.
/// </summary>
public sealed class WaitPolicyTests
{
    [Theory]
    [InlineData("lut profile -o t.csv", "lut profile", true)]
    [InlineData("lut run-kit kit -o t.csv", "lut run-kit", true)]
    [InlineData("lut check --table t.csv", "lut check", true)]
    [InlineData("bench inference", "bench inference", true)]
    [InlineData("train --out r", "train", false)]
    [InlineData("search --out r", "search", false)]
    [InlineData("eval --dataset synthetic --root d", "eval", false)]
    [InlineData("predict --checkpoint c --image i -o o", "predict", false)]
    [InlineData("demo", "demo", false)]
    [InlineData("export onnx squeezenas-mac-small -o x.onnx", "export onnx", false)]
    [InlineData("bench search", "bench search", false)]
    public void OnlyLatencyMeasurementSpins(string commandLine, string path, bool spins)
    {
        RootCommand root = NasCli.BuildRoot(CliContext.CreateForWriters(new StringWriter(), new StringWriter()));
        ParseResult parsed = root.Parse(commandLine.Split(' '));

        Assert.Equal(path, CommandWaitPolicy.CommandPath(parsed));
        Assert.Equal(spins, CommandWaitPolicy.SpinningCommands.Contains(path));
    }

    [Fact]
    public void EverySpinningCommandExists()
    {
        RootCommand root = NasCli.BuildRoot(CliContext.CreateForWriters(new StringWriter(), new StringWriter()));
        foreach (string path in CommandWaitPolicy.SpinningCommands)
        {
            Assert.Equal(path, CommandWaitPolicy.CommandPath(root.Parse(path.Split(' '))));
        }
    }

    [SkippableFact]
    public void CommandsThatDoNotMeasureMakeLibgompWaitPassively()
    {
        string? cli = CliProcess.FindOutput();
        Skip.If(cli is null, "the nas CLI build output (src/Cli/bin/<config>/net10.0) is not present");
        using var dir = new TempDirectory();
        // Exporting is torch-free; --verify runs the network in TorchSharp, which loads libtorch's libgomp.
        string[] export = ["export", "onnx", "squeezenas-mac-small", "--input", "1x3x32x64", "-o", dir.Combine("x.onnx"), "--verify"];

        (int code, string output) = CliProcess.Run(cli!, Environment(null), export);
        Assert.True(code == 0, output);
        Assert.Contains("GOMP_SPINCOUNT = '0'", output);

        // An explicit choice of the user wins.
        (code, output) = CliProcess.Run(cli!, Environment("ACTIVE"), export);
        Assert.True(code == 0, output);
        Assert.Contains("OMP_WAIT_POLICY = 'ACTIVE'", output);
        Assert.DoesNotContain("GOMP_SPINCOUNT = '0'", output);
    }

    private static Dictionary<string, string?> Environment(string? waitPolicy) => new()
    {
        ["OMP_DISPLAY_ENV"] = "VERBOSE",
        [OpenMpWaitPolicy.WaitPolicyVariable] = waitPolicy,
        [OpenMpWaitPolicy.SpinCountVariable] = null,
    };
}
