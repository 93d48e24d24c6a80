using System.Text;

namespace Nas.Build.Tests;

/// <summary>
/// Writes a small but well-formed ELF64 little-endian shared-object image: header, some code-like filler bytes,
/// <c>.dynstr</c>, a <c>.gnu.version_r</c> section with one Verneed entry per library and one Vernaux entry per
/// version, <c>.shstrtab</c>, and the section header table at the end (where linkers put it).
/// </summary>
public static class SyntheticElf
{
    public const int HeaderSize = 64;
    public const int SectionHeaderSize = 64;
    public const uint ShtStrtab = 3;
    public const uint ShtGnuVerneed = 0x6ffffffe;

    /// <summary>libstdc++ with three versions (one of them GLIBCXX_3.4.32) and libc with two: all flags clear.</summary>
    public static IReadOnlyList<(string File, (string Name, ushort Flags)[] Versions)> DefaultNeeds { get; } =
    [
        ("libstdc++.so.6", [("GLIBCXX_3.4", 0), ("GLIBCXX_3.4.32", 0), ("GLIBCXX_3.4.30", 0)]),
        ("libc.so.6", [("GLIBC_2.2.5", 0), ("GLIBC_2.34", 0)]),
    ];

    public static byte[] Build() => Build(DefaultNeeds);

    public static byte[] Build(IReadOnlyList<(string File, (string Name, ushort Flags)[] Versions)> needs)
    {
        // .dynstr: every library and version name once.
        var dynstr = new List<byte> { 0 };
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        int Str(string s)
        {
            if (!index.TryGetValue(s, out int at))
            {
                at = dynstr.Count;
                dynstr.AddRange(Encoding.ASCII.GetBytes(s));
                dynstr.Add(0);
                index[s] = at;
            }

            return at;
        }

        // .gnu.version_r: Verneed (16 bytes) followed by its Vernaux entries (16 bytes each), library after library.
        var verneed = new List<byte>();
        ushort versionIndex = 2;
        for (int n = 0; n < needs.Count; n++)
        {
            (string file, (string Name, ushort Flags)[] versions) = needs[n];
            int entrySize = 16 + (16 * versions.Length);
            U16(verneed, 1);
            U16(verneed, (ushort)versions.Length);
            U32(verneed, (uint)Str(file));
            U32(verneed, 16);
            U32(verneed, n == needs.Count - 1 ? 0u : (uint)entrySize);
            for (int a = 0; a < versions.Length; a++)
            {
                U32(verneed, ElfHash(versions[a].Name));
                U16(verneed, versions[a].Flags);
                U16(verneed, versionIndex++);
                U32(verneed, (uint)Str(versions[a].Name));
                U32(verneed, a == versions.Length - 1 ? 0u : 16u);
            }
        }

        byte[] shstrtab = Encoding.ASCII.GetBytes("\0.dynstr\0.gnu.version_r\0.shstrtab\0");

        // Layout: header, 40 filler bytes, .dynstr, .gnu.version_r (8-aligned), .shstrtab, section headers (8-aligned).
        var image = new List<byte>(new byte[HeaderSize]);
        var random = new Random(9);
        for (int i = 0; i < 40; i++)
        {
            image.Add((byte)random.Next(256));
        }

        long dynstrOffset = image.Count;
        image.AddRange(dynstr);
        Align(image, 8);
        long verneedOffset = image.Count;
        image.AddRange(verneed);
        long shstrtabOffset = image.Count;
        image.AddRange(shstrtab);
        Align(image, 8);
        long shoff = image.Count;

        // Section headers: null, .dynstr (1), .gnu.version_r (2, linked to 1), .shstrtab (3).
        image.AddRange(new byte[SectionHeaderSize]);
        SectionHeader(image, name: 1, ShtStrtab, flags: 2, dynstrOffset, dynstr.Count, link: 0, info: 0, align: 1, entsize: 0);
        SectionHeader(image, name: 9, ShtGnuVerneed, flags: 2, verneedOffset, verneed.Count, link: 1, info: (uint)needs.Count, align: 8, entsize: 0);
        SectionHeader(image, name: 24, ShtStrtab, flags: 0, shstrtabOffset, shstrtab.Length, link: 0, info: 0, align: 1, entsize: 0);

        byte[] bytes = [.. image];
        bytes[0] = 0x7f;
        bytes[1] = (byte)'E';
        bytes[2] = (byte)'L';
        bytes[3] = (byte)'F';
        bytes[4] = 2; // ELFCLASS64
        bytes[5] = 1; // ELFDATA2LSB
        bytes[6] = 1; // EV_CURRENT
        Put16(bytes, 0x10, 3); // ET_DYN
        Put16(bytes, 0x12, 62); // EM_X86_64
        Put32(bytes, 0x14, 1);
        Put64(bytes, 0x28, (ulong)shoff);
        Put16(bytes, 0x34, HeaderSize);
        Put16(bytes, 0x3a, SectionHeaderSize);
        Put16(bytes, 0x3c, 4);
        Put16(bytes, 0x3e, 3);
        return bytes;
    }

    /// <summary>Offset of the section header table (e_shoff).</summary>
    public static long SectionHeaders(byte[] elf) => (long)BitConverter.ToUInt64(elf, 0x28);

    /// <summary>Offset of field <paramref name="field"/> (byte offset within the 64-byte header) of section <paramref name="section"/>.</summary>
    public static int SectionField(byte[] elf, int section, int field) => (int)(SectionHeaders(elf) + (section * SectionHeaderSize) + field);

    public static void Put16(byte[] b, long at, ushort v) => BitConverter.TryWriteBytes(b.AsSpan((int)at, 2), v);

    public static void Put32(byte[] b, long at, uint v) => BitConverter.TryWriteBytes(b.AsSpan((int)at, 4), v);

    public static void Put64(byte[] b, long at, ulong v) => BitConverter.TryWriteBytes(b.AsSpan((int)at, 8), v);

    /// <summary>The SysV ELF hash that <c>vna_hash</c> holds.</summary>
    public static uint ElfHash(string name)
    {
        uint h = 0;
        foreach (char c in name)
        {
            h = (h << 4) + c;
            uint g = h & 0xf0000000;
            if (g != 0)
            {
                h ^= g >> 24;
            }

            h &= ~g;
        }

        return h;
    }

    private static void SectionHeader(List<byte> image, uint name, uint type, ulong flags, long offset, long size, uint link, uint info, ulong align, ulong entsize)
    {
        U32(image, name);
        U32(image, type);
        U64(image, flags);
        U64(image, (ulong)offset); // sh_addr: same as the offset, as in a shared object's first segment
        U64(image, (ulong)offset);
        U64(image, (ulong)size);
        U32(image, link);
        U32(image, info);
        U64(image, align);
        U64(image, entsize);
    }

    private static void Align(List<byte> image, int alignment)
    {
        while (image.Count % alignment != 0)
        {
            image.Add(0);
        }
    }

    private static void U16(List<byte> b, ushort v) => b.AddRange(BitConverter.GetBytes(v));

    private static void U32(List<byte> b, uint v) => b.AddRange(BitConverter.GetBytes(v));

    private static void U64(List<byte> b, ulong v) => b.AddRange(BitConverter.GetBytes(v));
}
