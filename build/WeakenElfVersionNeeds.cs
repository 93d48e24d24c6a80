// Build-time ELF editor for TorchSharp's native shim; compiled by MSBuild's RoslynCodeTaskFactory (see
// Directory.Build.targets) and, with NAS_ELF_PATCHER_TESTS defined, linked into Nas.Build.Tests.
//
// Why: TorchSharp 0.107.0's libLibTorchSharp.so was linked against GCC 13's libstdc++ and records a need for the
// version GLIBCXX_3.4.32, for one symbol only (std::ios_base_library_init, a link anchor that GCC 13's <iostream>
// references and nothing calls). Debian 12 and Ubuntu 22.04 ship GLIBCXX_3.4.30, so the loader refuses the shim.
// Marking that version need weak (VER_FLG_WEAK in its Vernaux entry) lets the loader accept a libstdc++ without it,
// while keeping the file otherwise byte-identical. Remove this when TorchSharp ships a shim built with an older
// toolchain (check with: objdump -T libLibTorchSharp.so | grep -o 'GLIBCXX_[0-9.]*' | sort -uV | tail -1).
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

#if !NAS_ELF_PATCHER_TESTS
/// <summary>
/// MSBuild task: replaces each file in <see cref="Files"/> that is an ELF64 object needing one of
/// <see cref="Versions"/> with a patched copy in which those version needs are weak. The file is replaced through a
/// temporary file and a rename, so a hard link into the NuGet cache is broken, never written through.
/// </summary>
public sealed class WeakenElfVersionNeeds : Microsoft.Build.Utilities.Task
{
    [Microsoft.Build.Framework.Required]
    public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

    [Microsoft.Build.Framework.Required]
    public string Versions { get; set; } = string.Empty;

    public override bool Execute()
    {
        string[] versions = Versions.Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries);
        foreach (Microsoft.Build.Framework.ITaskItem item in Files)
        {
            string path = item.GetMetadata("FullPath");
            if (!File.Exists(path))
            {
                continue;
            }

            try
            {
                ElfVersionNeedPatcher.Outcome outcome = ElfVersionNeedPatcher.PatchFile(path, versions);
                if (outcome == ElfVersionNeedPatcher.Outcome.Patched)
                {
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, $"made version needs {Versions} weak in {path}");
                }
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                Log.LogError($"{path}: cannot patch the ELF version needs: {e.Message}");
                return false;
            }
        }

        return !Log.HasLoggedErrors;
    }
}
#endif

/// <summary>Reads the ELF64 <c>.gnu.version_r</c> section and sets <c>VER_FLG_WEAK</c> on named version needs.</summary>
public static class ElfVersionNeedPatcher
{
    public const ushort WeakFlag = 0x2;
    private const uint ShtGnuVerneed = 0x6ffffffe;

    public enum Outcome
    {
        /// <summary>Not an ELF64 little-endian file: left alone.</summary>
        NotElf,

        /// <summary>No listed version is needed, or every one is already weak: left alone.</summary>
        Unchanged,

        /// <summary>Replaced with a patched copy.</summary>
        Patched,
    }

    /// <summary>A version need: the library it is needed from, its name, its flags and where the flags sit in the file.</summary>
    /// <remarks>A class, not a record: MSBuild compiles this file against netstandard, which lacks IsExternalInit.</remarks>
    public sealed class VersionNeed
    {
        public VersionNeed(string file, string name, ushort flags, long flagsOffset)
        {
            File = file;
            Name = name;
            Flags = flags;
            FlagsOffset = flagsOffset;
        }

        public string File { get; }

        public string Name { get; }

        public ushort Flags { get; }

        public long FlagsOffset { get; }
    }

    /// <summary>Patches a file in place of itself (temp file + rename), keeping its timestamp; verifies the result.</summary>
    public static Outcome PatchFile(string path, IReadOnlyCollection<string> versions)
    {
        byte[] original = System.IO.File.ReadAllBytes(path);
        if (!IsElf64LittleEndian(original))
        {
            return Outcome.NotElf;
        }

        byte[] patched = (byte[])original.Clone();
        if (Patch(patched, versions) == 0)
        {
            return Outcome.Unchanged;
        }

        Verify(original, patched, versions);
        DateTime written = System.IO.File.GetLastWriteTimeUtc(path);
        string temp = path + ".nas-patch.tmp";
        try
        {
            // A copy first, so the new file keeps the original's permissions; then its content is overwritten.
            System.IO.File.Copy(path, temp, overwrite: true);
            System.IO.File.WriteAllBytes(temp, patched);
            // Same size and timestamp as the package's file, so MSBuild's incremental copy does not copy it again.
            System.IO.File.SetLastWriteTimeUtc(temp, written);
            // A rename replaces the directory entry: a hard link into the NuGet cache is broken, never written through.
            System.IO.File.Replace(temp, path, null);
        }
        finally
        {
            System.IO.File.Delete(temp);
        }

        return Outcome.Patched;
    }

    /// <summary>Sets the weak flag on every listed version need that lacks it; returns how many entries changed.</summary>
    public static int Patch(byte[] elf, IReadOnlyCollection<string> versions)
    {
        int changed = 0;
        foreach (VersionNeed need in ReadVersionNeeds(elf))
        {
            if (Contains(versions, need.Name) && (need.Flags & WeakFlag) == 0)
            {
                WriteU16(elf, need.FlagsOffset, (ushort)(need.Flags | WeakFlag));
                changed++;
            }
        }

        return changed;
    }

    /// <summary>
    /// Checks a patched image against its original: it still parses, lists the same version needs, every listed one
    /// is weak, and the bytes differ only in those flags.
    /// </summary>
    public static void Verify(byte[] original, byte[] patched, IReadOnlyCollection<string> versions)
    {
        if (original.Length != patched.Length)
        {
            throw new InvalidDataException("the patched file has another length");
        }

        IReadOnlyList<VersionNeed> before = ReadVersionNeeds(original);
        IReadOnlyList<VersionNeed> after = ReadVersionNeeds(patched);
        if (before.Count != after.Count)
        {
            throw new InvalidDataException("the patched file lists another number of version needs");
        }

        var allowed = new HashSet<long>();
        for (int i = 0; i < before.Count; i++)
        {
            if (before[i].Name != after[i].Name || before[i].FlagsOffset != after[i].FlagsOffset)
            {
                throw new InvalidDataException($"version need {i} changed its name or position");
            }

            bool listed = Contains(versions, before[i].Name);
            ushort expected = listed ? (ushort)(before[i].Flags | WeakFlag) : before[i].Flags;
            if (after[i].Flags != expected)
            {
                throw new InvalidDataException($"version need {before[i].Name} has flags 0x{after[i].Flags:x}, expected 0x{expected:x}");
            }

            if (listed)
            {
                allowed.Add(before[i].FlagsOffset);
                allowed.Add(before[i].FlagsOffset + 1);
            }
        }

        for (long i = 0; i < original.Length; i++)
        {
            if (original[i] != patched[i] && !allowed.Contains(i))
            {
                throw new InvalidDataException($"the patched file differs at offset 0x{i:x}, outside the version-need flags");
            }
        }
    }

    public static bool IsElf64LittleEndian(byte[] elf) =>
        elf.Length >= 64 && elf[0] == 0x7f && elf[1] == (byte)'E' && elf[2] == (byte)'L' && elf[3] == (byte)'F' && elf[4] == 2 && elf[5] == 1;

    /// <summary>Every Vernaux entry of the <c>SHT_GNU_verneed</c> section(s), in file order.</summary>
    public static IReadOnlyList<VersionNeed> ReadVersionNeeds(byte[] elf)
    {
        if (!IsElf64LittleEndian(elf))
        {
            throw new InvalidDataException("not an ELF64 little-endian file");
        }

        ulong shoff = ReadU64(elf, 0x28);
        int shentsize = ReadU16(elf, 0x3a);
        int shnum = ReadU16(elf, 0x3c);
        if (shentsize < 64)
        {
            throw new InvalidDataException($"the section header table has entries of {shentsize} bytes, fewer than 64");
        }

        if (!Inside(elf, shoff, (ulong)shnum * (ulong)shentsize))
        {
            throw new InvalidDataException($"the section header table (0x{shoff:x}, {shnum} entries) lies outside the file");
        }

        var needs = new List<VersionNeed>();
        for (int s = 0; s < shnum; s++)
        {
            long header = (long)shoff + ((long)s * shentsize);
            if (ReadU32(elf, header + 4) != ShtGnuVerneed)
            {
                continue;
            }

            ulong rawOffset = ReadU64(elf, header + 24);
            ulong rawSize = ReadU64(elf, header + 32);
            uint link = ReadU32(elf, header + 40);
            uint count = ReadU32(elf, header + 44);
            if (!Inside(elf, rawOffset, rawSize))
            {
                throw new InvalidDataException($"section {s} (verneed, 0x{rawOffset:x} + 0x{rawSize:x}) lies outside the file");
            }

            if (link >= shnum)
            {
                throw new InvalidDataException($"section {s} (verneed) links to section {link}, but there are {shnum}");
            }

            long linked = (long)shoff + ((long)link * shentsize);
            ulong rawStrings = ReadU64(elf, linked + 24);
            ulong rawStringsSize = ReadU64(elf, linked + 32);
            if (!Inside(elf, rawStrings, rawStringsSize))
            {
                throw new InvalidDataException($"the string table of section {s} (section {link}, 0x{rawStrings:x} + 0x{rawStringsSize:x}) lies outside the file");
            }

            long offset = (long)rawOffset;
            long size = (long)rawSize;
            long strings = (long)rawStrings;
            long stringsSize = (long)rawStringsSize;
            long entry = offset;
            for (uint n = 0; n < count; n++)
            {
                Check(entry, 16, offset, size, "Verneed");
                int auxCount = ReadU16(elf, entry + 2);
                string file = ReadString(elf, strings, stringsSize, ReadU32(elf, entry + 4));
                long aux = entry + ReadU32(elf, entry + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    Check(aux, 16, offset, size, "Vernaux");
                    string name = ReadString(elf, strings, stringsSize, ReadU32(elf, aux + 8));
                    needs.Add(new VersionNeed(file, name, ReadU16(elf, aux + 4), aux + 4));
                    uint nextAux = ReadU32(elf, aux + 12);
                    if (nextAux == 0)
                    {
                        break;
                    }

                    aux += nextAux;
                }

                uint next = ReadU32(elf, entry + 12);
                if (next == 0)
                {
                    break;
                }

                entry += next;
            }
        }

        return needs;
    }

    private static bool Contains(IReadOnlyCollection<string> versions, string name)
    {
        foreach (string v in versions)
        {
            if (string.Equals(v.Trim(), name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether [offset, offset + size) lies within the file, without overflow.</summary>
    private static bool Inside(byte[] elf, ulong offset, ulong size) =>
        offset <= (ulong)elf.Length && size <= (ulong)elf.Length - offset;

    private static void Check(long at, long length, long sectionOffset, long sectionSize, string what)
    {
        if (at < sectionOffset || at + length > sectionOffset + sectionSize)
        {
            throw new InvalidDataException($"a {what} entry at 0x{at:x} lies outside its section");
        }
    }

    private static string ReadString(byte[] elf, long table, long tableSize, uint index)
    {
        long start = table + index;
        if (index >= tableSize)
        {
            throw new InvalidDataException($"string index {index} lies outside the string table");
        }

        long end = start;
        while (end < elf.Length && end < table + tableSize && elf[end] != 0)
        {
            end++;
        }

        return Encoding.ASCII.GetString(elf, (int)start, (int)(end - start));
    }

    private static ushort ReadU16(byte[] b, long at) => (ushort)(b[at] | (b[at + 1] << 8));

    private static uint ReadU32(byte[] b, long at) => (uint)(b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24));

    private static ulong ReadU64(byte[] b, long at) => ReadU32(b, at) | ((ulong)ReadU32(b, at + 4) << 32);

    private static void WriteU16(byte[] b, long at, ushort value)
    {
        b[at] = (byte)value;
        b[at + 1] = (byte)(value >> 8);
    }
}
