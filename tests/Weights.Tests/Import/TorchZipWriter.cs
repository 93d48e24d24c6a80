using System.Buffers.Binary;
using System.Text;

namespace Nas.Weights.Tests.Import;

/// <summary>
/// A zip writer laid out like PyTorch's <c>PyTorchStreamWriter</c> (caffe2/serialize/inline_container.cc over miniz):
/// every record under "&lt;archive&gt;/", stored (no compression), its data aligned to 64 bytes by an "FB" extra
/// field padded with 'Z', a data descriptor after the data, then the central directory and the end record.
/// Written from the sources; header fields miniz fills from build options (times, version-made-by) are zero.
/// </summary>
internal sealed class TorchZipWriter(string archiveName)
{
    private const int Alignment = 64;

    private readonly MemoryStream _out = new();
    private readonly List<(string Name, uint Crc, int Size, long Offset)> _records = [];

    public void Add(string name, byte[] data)
    {
        string fullName = $"{archiveName}/{name}";
        byte[] nameBytes = Encoding.UTF8.GetBytes(fullName);
        long offset = _out.Position;
        long start = offset + 30 + nameBytes.Length + 4;
        int padding = (int)((Alignment - (start % Alignment)) % Alignment);
        uint crc = Crc32(data);

        WriteUInt32(0x04034b50);
        WriteUInt16(0); // version needed (stored)
        WriteUInt16(0x0008); // sizes and CRC follow in a data descriptor
        WriteUInt16(0); // method: stored
        WriteUInt16(0); // time
        WriteUInt16(0); // date
        WriteUInt32(0);
        WriteUInt32(0);
        WriteUInt32(0);
        WriteUInt16((ushort)nameBytes.Length);
        WriteUInt16((ushort)(padding + 4));
        _out.Write(nameBytes);
        _out.Write("FB"u8);
        WriteUInt16((ushort)padding);
        _out.Write(Enumerable.Repeat((byte)'Z', padding).ToArray());
        _out.Write(data);
        WriteUInt32(0x08074b50);
        WriteUInt32(crc);
        WriteUInt32((uint)data.Length);
        WriteUInt32((uint)data.Length);
        _records.Add((fullName, crc, data.Length, offset));
    }

    public byte[] Finish()
    {
        long directoryStart = _out.Position;
        foreach ((string name, uint crc, int size, long offset) in _records)
        {
            byte[] nameBytes = Encoding.UTF8.GetBytes(name);
            WriteUInt32(0x02014b50);
            WriteUInt16(0); // version made by
            WriteUInt16((ushort)(size == 0 ? 0 : 20));
            WriteUInt16(0x0008);
            WriteUInt16(0);
            WriteUInt16(0);
            WriteUInt16(0);
            WriteUInt32(crc);
            WriteUInt32((uint)size);
            WriteUInt32((uint)size);
            WriteUInt16((ushort)nameBytes.Length);
            WriteUInt16(0); // extra
            WriteUInt16(0); // comment
            WriteUInt16(0); // disk
            WriteUInt16(0); // internal attributes
            WriteUInt32(0); // external attributes
            WriteUInt32((uint)offset);
            _out.Write(nameBytes);
        }

        long directorySize = _out.Position - directoryStart;
        WriteUInt32(0x06054b50);
        WriteUInt16(0);
        WriteUInt16(0);
        WriteUInt16((ushort)_records.Count);
        WriteUInt16((ushort)_records.Count);
        WriteUInt32((uint)directorySize);
        WriteUInt32((uint)directoryStart);
        WriteUInt16(0);
        return _out.ToArray();
    }

    private static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }

    private void WriteUInt16(ushort value)
    {
        Span<byte> two = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(two, value);
        _out.Write(two);
    }

    private void WriteUInt32(uint value)
    {
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(four, value);
        _out.Write(four);
    }
}
