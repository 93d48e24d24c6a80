using System.Diagnostics;
using System.Runtime.Versioning;
using Nas.TestSupport;

namespace Nas.Build.Tests;

/// <summary>The ELF version-need patcher on synthetic ELF64 images written by <see cref="SyntheticElf"/>.</summary>
public sealed class ElfVersionNeedPatcherTests
{
    private static readonly string[] Glibcxx3432 = ["GLIBCXX_3.4.32"];

    [Fact]
    public void ReadsEveryVersionNeedOfBothLibraries()
    {
        IReadOnlyList<ElfVersionNeedPatcher.VersionNeed> needs = ElfVersionNeedPatcher.ReadVersionNeeds(SyntheticElf.Build());

        Assert.Equal(
            ["libstdc++.so.6/GLIBCXX_3.4", "libstdc++.so.6/GLIBCXX_3.4.32", "libstdc++.so.6/GLIBCXX_3.4.30", "libc.so.6/GLIBC_2.2.5", "libc.so.6/GLIBC_2.34"],
            needs.Select(n => $"{n.File}/{n.Name}"));
        Assert.All(needs, n => Assert.Equal(0, n.Flags));
    }

    [Fact]
    public void PatchSetsExactlyTheWeakFlagOfTheNamedVersion()
    {
        byte[] original = SyntheticElf.Build();
        byte[] patched = (byte[])original.Clone();

        Assert.Equal(1, ElfVersionNeedPatcher.Patch(patched, Glibcxx3432));

        long flags = ElfVersionNeedPatcher.ReadVersionNeeds(original).Single(n => n.Name == "GLIBCXX_3.4.32").FlagsOffset;
        Assert.Equal([flags], Differences(original, patched));
        Assert.Equal(ElfVersionNeedPatcher.WeakFlag, patched[flags]);
        Assert.Equal(
            [0, ElfVersionNeedPatcher.WeakFlag, 0, 0, 0],
            ElfVersionNeedPatcher.ReadVersionNeeds(patched).Select(n => (int)n.Flags));
        ElfVersionNeedPatcher.Verify(original, patched, Glibcxx3432);
    }

    [Fact]
    public void PatchKeepsOtherFlagBitsAndReachesTheSecondLibrary()
    {
        const ushort info = 0x4; // VER_FLG_INFO
        byte[] original = SyntheticElf.Build(
        [
            ("libstdc++.so.6", [("GLIBCXX_3.4", 0), ("GLIBCXX_3.4.32", info)]),
            ("libc.so.6", [("GLIBC_2.2.5", 0), ("GLIBC_2.34", 0), ("GLIBC_2.38", 0)]),
        ]);
        byte[] patched = (byte[])original.Clone();
        string[] versions = ["GLIBCXX_3.4.32", "GLIBC_2.38"];

        Assert.Equal(2, ElfVersionNeedPatcher.Patch(patched, versions));

        Assert.Equal(
            ["GLIBCXX_3.4:0", "GLIBCXX_3.4.32:6", "GLIBC_2.2.5:0", "GLIBC_2.34:0", "GLIBC_2.38:2"],
            ElfVersionNeedPatcher.ReadVersionNeeds(patched).Select(n => $"{n.Name}:{n.Flags}"));
        Assert.Equal(2, Differences(original, patched).Count);
        ElfVersionNeedPatcher.Verify(original, patched, versions);
    }

    [Fact]
    public void PatchIsIdempotent()
    {
        byte[] once = SyntheticElf.Build();
        ElfVersionNeedPatcher.Patch(once, Glibcxx3432);
        byte[] twice = (byte[])once.Clone();

        Assert.Equal(0, ElfVersionNeedPatcher.Patch(twice, Glibcxx3432));
        Assert.Equal(once, twice);
    }

    [Fact]
    public void PatchFileReplacesTheFileOnceAndThenLeavesItAlone()
    {
        using var dir = new TempDirectory("nas-elf");
        string path = dir.Combine("libLibTorchSharp.so");
        byte[] original = SyntheticElf.Build();
        File.WriteAllBytes(path, original);
        var stamp = new DateTime(2026, 5, 7, 12, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, stamp);

        Assert.Equal(ElfVersionNeedPatcher.Outcome.Patched, ElfVersionNeedPatcher.PatchFile(path, Glibcxx3432));
        byte[] patched = File.ReadAllBytes(path);
        ElfVersionNeedPatcher.Verify(original, patched, Glibcxx3432);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(path));

        Assert.Equal(ElfVersionNeedPatcher.Outcome.Unchanged, ElfVersionNeedPatcher.PatchFile(path, Glibcxx3432));
        Assert.Equal(patched, File.ReadAllBytes(path));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(path));
        Assert.Equal(["libLibTorchSharp.so"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void FilesWithoutTheVersionOrWithItAlreadyWeakAreLeftAlone()
    {
        using var dir = new TempDirectory("nas-elf");
        string absent = dir.Combine("absent.so");
        string weak = dir.Combine("weak.so");
        File.WriteAllBytes(absent, SyntheticElf.Build([("libc.so.6", [("GLIBC_2.2.5", 0)])]));
        File.WriteAllBytes(weak, SyntheticElf.Build([("libstdc++.so.6", [("GLIBCXX_3.4.32", ElfVersionNeedPatcher.WeakFlag)])]));

        foreach (string path in new[] { absent, weak })
        {
            byte[] before = File.ReadAllBytes(path);
            DateTime stamp = File.GetLastWriteTimeUtc(path);
            Assert.Equal(ElfVersionNeedPatcher.Outcome.Unchanged, ElfVersionNeedPatcher.PatchFile(path, Glibcxx3432));
            Assert.Equal(before, File.ReadAllBytes(path));
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(path));
        }
    }

    [Fact]
    public void VerifyRejectsEveryOtherByteChange()
    {
        byte[] original = SyntheticElf.Build();
        byte[] patched = (byte[])original.Clone();
        ElfVersionNeedPatcher.Patch(patched, Glibcxx3432);
        ElfVersionNeedPatcher.Verify(original, patched, Glibcxx3432);

        foreach (byte mask in new byte[] { 0x01, 0x02, 0x80, 0xff })
        {
            for (int i = 0; i < patched.Length; i++)
            {
                byte[] changed = (byte[])patched.Clone();
                changed[i] ^= mask;
                InvalidDataException e = Assert.Throws<InvalidDataException>(() => ElfVersionNeedPatcher.Verify(original, changed, Glibcxx3432));
                Assert.DoesNotContain('\n', e.Message);
            }
        }

        Assert.Throws<InvalidDataException>(() => ElfVersionNeedPatcher.Verify(original, original, Glibcxx3432));
        Assert.Throws<InvalidDataException>(() => ElfVersionNeedPatcher.Verify(original, [.. patched, 0], Glibcxx3432));
    }

    [Fact]
    public void NonElfFilesAreLeftAlone()
    {
        using var dir = new TempDirectory("nas-elf");
        byte[] elf32 = SyntheticElf.Build();
        elf32[4] = 1; // ELFCLASS32
        byte[] bigEndian = SyntheticElf.Build();
        bigEndian[5] = 2; // ELFDATA2MSB
        var files = new Dictionary<string, byte[]>
        {
            ["empty.so"] = [],
            ["short.so"] = [0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1],
            ["script.so"] = "INPUT(libfoo.so.1)\n"u8.ToArray(),
            ["elf32.so"] = elf32,
            ["big-endian.so"] = bigEndian,
        };

        foreach ((string name, byte[] content) in files)
        {
            string path = dir.Combine(name);
            File.WriteAllBytes(path, content);
            DateTime stamp = File.GetLastWriteTimeUtc(path);
            Assert.Equal(ElfVersionNeedPatcher.Outcome.NotElf, ElfVersionNeedPatcher.PatchFile(path, Glibcxx3432));
            Assert.Equal(content, File.ReadAllBytes(path));
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(path));
        }
    }

    [Fact]
    public void EveryTruncationIsReportedAndTheFileIsNotTouched()
    {
        using var dir = new TempDirectory("nas-elf");
        byte[] elf = SyntheticElf.Build();
        string path = dir.Combine("truncated.so");
        for (int length = SyntheticElf.HeaderSize; length < elf.Length; length++)
        {
            byte[] truncated = elf[..length];
            InvalidDataException e = Assert.Throws<InvalidDataException>(() => ElfVersionNeedPatcher.ReadVersionNeeds(truncated));
            Assert.Contains("outside the file", e.Message);

            File.WriteAllBytes(path, truncated);
            Assert.Throws<InvalidDataException>(() => ElfVersionNeedPatcher.PatchFile(path, Glibcxx3432));
            Assert.Equal(truncated, File.ReadAllBytes(path));
            Assert.Equal(["truncated.so"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        }
    }

    [Theory]
    [InlineData("e_shoff beyond the file", "section header table")]
    [InlineData("e_shoff near 2^64", "section header table")]
    [InlineData("e_shentsize 32", "section header table")]
    [InlineData("verneed offset beyond the file", "section 2")]
    [InlineData("verneed size near 2^64", "section 2")]
    [InlineData("verneed linked to a missing section", "section 2")]
    [InlineData("verneed linked to the null section", "string")]
    [InlineData("string table beyond the file", "string table")]
    [InlineData("string table offset near 2^64", "string table")]
    [InlineData("string table size near 2^64", "string table")]
    [InlineData("vn_aux beyond the section", "Vernaux entry")]
    [InlineData("vn_next beyond the section", "Verneed entry")]
    [InlineData("vna_next beyond the section", "Vernaux entry")]
    [InlineData("vna_name beyond the string table", "string")]
    [InlineData("vn_file beyond the string table", "string")]
    public void CorruptTablesGiveAClearInvalidDataException(string corruption, string named)
    {
        byte[] elf = SyntheticElf.Build();
        long verneed = (long)BitConverter.ToUInt64(elf, SyntheticElf.SectionField(elf, 2, 24));
        const ulong huge = 0xffff_ffff_ffff_fff0;
        switch (corruption)
        {
            case "e_shoff beyond the file":
                SyntheticElf.Put64(elf, 0x28, (ulong)elf.Length + 64);
                break;
            case "e_shoff near 2^64":
                SyntheticElf.Put64(elf, 0x28, huge);
                break;
            case "e_shentsize 32":
                SyntheticElf.Put16(elf, 0x3a, 32);
                break;
            case "verneed offset beyond the file":
                SyntheticElf.Put64(elf, SyntheticElf.SectionField(elf, 2, 24), (ulong)elf.Length);
                break;
            case "verneed size near 2^64":
                SyntheticElf.Put64(elf, SyntheticElf.SectionField(elf, 2, 32), huge);
                break;
            case "verneed linked to a missing section":
                SyntheticElf.Put32(elf, SyntheticElf.SectionField(elf, 2, 40), 4);
                break;
            case "verneed linked to the null section":
                SyntheticElf.Put32(elf, SyntheticElf.SectionField(elf, 2, 40), 0);
                break;
            case "string table beyond the file":
                SyntheticElf.Put64(elf, SyntheticElf.SectionField(elf, 1, 24), (ulong)elf.Length - 8);
                break;
            case "string table offset near 2^64":
                SyntheticElf.Put64(elf, SyntheticElf.SectionField(elf, 1, 24), huge);
                break;
            case "string table size near 2^64":
                SyntheticElf.Put64(elf, SyntheticElf.SectionField(elf, 1, 32), huge);
                break;
            case "vn_aux beyond the section":
                SyntheticElf.Put32(elf, verneed + 8, 4096);
                break;
            case "vn_next beyond the section":
                SyntheticElf.Put32(elf, verneed + 12, 4096);
                break;
            case "vna_next beyond the section":
                SyntheticElf.Put32(elf, verneed + 16 + 12, 4096);
                break;
            case "vna_name beyond the string table":
                SyntheticElf.Put32(elf, verneed + 16 + 8, 4096);
                break;
            case "vn_file beyond the string table":
                SyntheticElf.Put32(elf, verneed + 4, 4096);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(corruption), corruption, null);
        }

        InvalidDataException e = Assert.Throws<InvalidDataException>(() => ElfVersionNeedPatcher.ReadVersionNeeds(elf));
        Assert.Contains(named, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Throws<InvalidDataException>(() => ElfVersionNeedPatcher.Patch(elf, Glibcxx3432));
    }

    [SkippableFact]
    [UnsupportedOSPlatform("windows")]
    public void PatchFileBreaksAHardLinkInsteadOfWritingThroughIt()
    {
        Skip.If(OperatingSystem.IsWindows(), "hard links are created with ln, file modes are Unix modes");
        using var dir = new TempDirectory("nas-elf");
        string cache = dir.Combine("cache.so");
        string output = dir.Combine("output.so");
        byte[] original = SyntheticElf.Build();
        File.WriteAllBytes(cache, original);
        File.SetUnixFileMode(cache, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        using (var ln = Process.Start(new ProcessStartInfo("ln", [cache, output]) { UseShellExecute = false })!)
        {
            ln.WaitForExit();
            Assert.Equal(0, ln.ExitCode);
        }

        Assert.Equal(ElfVersionNeedPatcher.Outcome.Patched, ElfVersionNeedPatcher.PatchFile(output, Glibcxx3432));

        Assert.Equal(original, File.ReadAllBytes(cache));
        ElfVersionNeedPatcher.Verify(original, File.ReadAllBytes(output), Glibcxx3432);
        Assert.Equal(File.GetUnixFileMode(cache), File.GetUnixFileMode(output));
        Assert.Equal(File.GetLastWriteTimeUtc(cache), File.GetLastWriteTimeUtc(output));
    }

    private static List<long> Differences(byte[] a, byte[] b)
    {
        Assert.Equal(a.Length, b.Length);
        var offsets = new List<long>();
        for (long i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                offsets.Add(i);
            }
        }

        return offsets;
    }
}
