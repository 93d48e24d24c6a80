using System.Reflection;
using System.Runtime.InteropServices;
using Nas.TestSupport;

namespace Nas.Build.Tests;

/// <summary>
/// The real TorchSharp shim: the package's file needs GLIBCXX_3.4.32 strongly, the build output holds a copy in
/// which exactly that need is weak, and the package folder (the NuGet cache) is never modified.
/// </summary>
public sealed class TorchSharpShimTests
{
    private const string Version = "GLIBCXX_3.4.32";
    private const string ShimPath = "runtimes/linux-x64/native/libLibTorchSharp.so";
    private static readonly string[] Versions = [Version];

    /// <summary>The shim inside the restored TorchSharp package (the build's $(PkgTorchSharp)).</summary>
    private static string PackageShim
    {
        get
        {
            string folder = typeof(TorchSharpShimTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "TorchSharpPackageFolder").Value ?? string.Empty;
            return Path.Combine(folder, ShimPath);
        }
    }

    [SkippableFact]
    public void PatchingACopyOfThePackagedShimWeakensOnlyThatVersion()
    {
        Skip.IfNot(File.Exists(PackageShim), $"the TorchSharp shim is not in the NuGet cache ({PackageShim})");
        using var dir = new TempDirectory("nas-shim");
        string copy = dir.Combine("libLibTorchSharp.so");
        File.Copy(PackageShim, copy);
        byte[] original = File.ReadAllBytes(copy);

        Assert.Equal(ElfVersionNeedPatcher.Outcome.Patched, ElfVersionNeedPatcher.PatchFile(copy, Versions));

        byte[] patched = File.ReadAllBytes(copy);
        IReadOnlyList<ElfVersionNeedPatcher.VersionNeed> before = ElfVersionNeedPatcher.ReadVersionNeeds(original);
        IReadOnlyList<ElfVersionNeedPatcher.VersionNeed> after = ElfVersionNeedPatcher.ReadVersionNeeds(patched);
        ElfVersionNeedPatcher.VersionNeed need = Assert.Single(before, n => n.Name == Version);
        Assert.Equal("libstdc++.so.6", need.File);
        Assert.Equal(0, need.Flags & ElfVersionNeedPatcher.WeakFlag);
        Assert.True(before.Count > 10, $"only {before.Count} version needs read");
        for (int i = 0; i < before.Count; i++)
        {
            ushort expected = before[i].Name == Version ? (ushort)(before[i].Flags | ElfVersionNeedPatcher.WeakFlag) : before[i].Flags;
            Assert.Equal((before[i].Name, expected), (after[i].Name, after[i].Flags));
        }

        Assert.Equal(original.Length, patched.Length);
        Assert.Equal([need.FlagsOffset], Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).Select(i => (long)i));
    }

    [SkippableFact]
    public void TheBuildOutputHoldsAPatchedCopyAndThePackageTheOriginal()
    {
        Skip.IfNot(
            OperatingSystem.IsLinux() && RuntimeInformation.OSArchitecture == Architecture.X64,
            "TorchSharp's linux-x64 shim is loaded only on linux-x64");
        string output = Path.Combine(AppContext.BaseDirectory, ShimPath);
        Assert.True(File.Exists(output), $"the build output has no {ShimPath}");
        Assert.True(File.Exists(PackageShim), $"the restored TorchSharp package has no {ShimPath}");

        byte[] package = File.ReadAllBytes(PackageShim);
        byte[] built = File.ReadAllBytes(output);

        Assert.Equal(0, ElfVersionNeedPatcher.ReadVersionNeeds(package).Single(n => n.Name == Version).Flags & ElfVersionNeedPatcher.WeakFlag);
        Assert.NotEqual(0, ElfVersionNeedPatcher.ReadVersionNeeds(built).Single(n => n.Name == Version).Flags & ElfVersionNeedPatcher.WeakFlag);
        // Only that flag differs: the output is the package's file with one version need made weak.
        ElfVersionNeedPatcher.Verify(package, built, Versions);
    }
}
