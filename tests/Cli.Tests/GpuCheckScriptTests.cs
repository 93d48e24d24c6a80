using System.Diagnostics;
using Nas.TestSupport;

namespace Nas.Cli.Tests;

/// <summary>
/// tools/gpu-check.sh needs an NVIDIA GPU; these tests cover what it does without one: it stops at once with a clear
/// message, and (with a stand-in nvidia-smi and GPU_CHECK_DRY_RUN=1) it plans the steps the issue asks for.
/// </summary>
public class GpuCheckScriptTests
{
    private static readonly string Script = Path.Combine(SharedAssets.RepositoryRoot, "tools", "gpu-check.sh");

    [SkippableFact]
    public void WithoutAGpuItFailsFastAndSaysWhy()
    {
        Skip.If(OnPath("nvidia-smi"), "this machine has nvidia-smi");
        using var dir = new TempDirectory();
        (int code, string output) = Run(dir, null);
        Assert.Equal(2, code);
        Assert.Contains("no NVIDIA GPU", output);
        Assert.False(File.Exists(dir.Combine("out", "results.md")));
    }

    [Fact]
    public void ADriverWithoutDevicesIsReported()
    {
        using var dir = new TempDirectory();
        (int code, string output) = Run(dir, "exit 9");
        Assert.Equal(2, code);
        Assert.Contains("no usable GPU", output);
    }

    [Fact]
    public void DryRunPlansTheGpuBuildProfileCheckAndNetworkTimings()
    {
        using var dir = new TempDirectory();
        (int code, string output) = Run(dir, "echo 'NVIDIA Test GPU, 555.0, 81920 MiB'", dryRun: true);
        Assert.True(code == 0, output);
        string results = File.ReadAllText(dir.Combine("out", "results.md"));
        Assert.Contains("NVIDIA Test GPU", results);
        Assert.Contains("-p:NasOrtGpu=true", results);
        Assert.Contains("lut profile --space small --input 512x1024 --provider cuda", results);
        Assert.Contains("lut check", results);
        Assert.Contains("--samples 20", results);
        Assert.Contains("bench precision --networks all", results);
    }

    private static (int Code, string Output) Run(TempDirectory dir, string? fakeNvidiaSmi, bool dryRun = false)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(dir.Combine("out"));
        string path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        if (fakeNvidiaSmi is not null)
        {
            string bin = dir.Combine("bin");
            Directory.CreateDirectory(bin);
            string tool = Path.Combine(bin, "nvidia-smi");
            File.WriteAllText(tool, $"#!/bin/sh\n{fakeNvidiaSmi}\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            path = bin + ":" + path;
        }

        start.Environment["PATH"] = path;
        start.Environment["GPU_CHECK_DRY_RUN"] = dryRun ? "1" : "0";
        using Process process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr);
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, tool)));
}
