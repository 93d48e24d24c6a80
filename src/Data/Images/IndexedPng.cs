using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Nas.Core;
using Nas.Core.IO;

namespace Nas.Data.Images;

/// <summary>
/// Reads and writes label maps as PNG files of raw indices. Image libraries turn palette PNGs into colours; a
/// label map must be read as the palette index (VOC) or the grey value (Cityscapes, RailSem19) itself, so this
/// reader decodes 8-bit greyscale (colour type 0) and 8-bit palette (colour type 3) PNGs directly: chunks, zlib,
/// and the five scanline filters. Other PNG flavours are rejected with a message naming the file.
/// </summary>
public static class IndexedPng
{
    private static readonly byte[] s_signature = [137, 80, 78, 71, 13, 10, 26, 10];

    public static LabelMap Read(string path)
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NasException($"cannot read label '{path}': {e.Message}", e);
        }

        return Decode(data, path);
    }

    public static LabelMap Decode(byte[] data, string source)
    {
        if (data.Length < 8 || !data.AsSpan(0, 8).SequenceEqual(s_signature))
        {
            throw new NasException($"{source}: not a PNG file");
        }

        int width = 0, height = 0, colorType = -1;
        using var idat = new MemoryStream();
        int pos = 8;
        bool ended = false;
        while (pos + 8 <= data.Length && !ended)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(pos));
            string type = Encoding.ASCII.GetString(data, pos + 4, 4);
            if (length < 0 || pos + 12 + (long)length > data.Length)
            {
                throw new NasException($"{source}: truncated PNG (chunk '{type}' at byte {pos})");
            }

            ReadOnlySpan<byte> body = data.AsSpan(pos + 8, length);
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(body);
                    height = BinaryPrimitives.ReadInt32BigEndian(body[4..]);
                    int bitDepth = body[8];
                    colorType = body[9];
                    int interlace = body[12];
                    if (colorType is not (0 or 3))
                    {
                        throw new NasException($"{source}: label PNG has colour type {colorType} ({(colorType == 2 ? "RGB" : colorType == 6 ? "RGBA" : "other")}); labels must be 8-bit greyscale or palette index maps, not colour images");
                    }

                    if (bitDepth != 8)
                    {
                        throw new NasException($"{source}: label PNG has bit depth {bitDepth}; only 8-bit index maps are supported");
                    }

                    if (interlace != 0)
                    {
                        throw new NasException($"{source}: interlaced PNGs are not supported for labels; re-save it without interlacing");
                    }

                    break;
                case "IDAT":
                    idat.Write(body);
                    break;
                case "IEND":
                    ended = true;
                    break;
            }

            pos += 12 + length;
        }

        if (width <= 0 || height <= 0)
        {
            throw new NasException($"{source}: PNG without a valid header");
        }

        if (!ended)
        {
            throw new NasException($"{source}: truncated PNG (no IEND chunk)");
        }

        byte[] raw = new byte[(width + 1) * height];
        try
        {
            idat.Position = 0;
            using var z = new ZLibStream(idat, CompressionMode.Decompress);
            z.ReadExactly(raw);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new NasException($"{source}: corrupt PNG image data ({e.Message})", e);
        }

        var indices = new byte[width * height];
        Unfilter(raw, indices, width, height, source);
        return new LabelMap(width, height, indices);
    }

    /// <summary>Writes an 8-bit greyscale PNG (atomic).</summary>
    public static void WriteGray(string path, LabelMap map) => AtomicFile.WriteAllBytes(path, Encode(map, null));

    /// <summary>Writes an 8-bit palette PNG whose pixel values are the indices and whose palette gives their colours (atomic).</summary>
    public static void WritePalette(string path, LabelMap map, IReadOnlyList<(byte R, byte G, byte B)> palette) =>
        AtomicFile.WriteAllBytes(path, Encode(map, palette));

    public static byte[] Encode(LabelMap map, IReadOnlyList<(byte R, byte G, byte B)>? palette)
    {
        using var ms = new MemoryStream();
        ms.Write(s_signature);
        byte[] ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, map.Width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), map.Height);
        ihdr[8] = 8;
        ihdr[9] = (byte)(palette is null ? 0 : 3);
        WriteChunk(ms, "IHDR", ihdr);
        if (palette is not null)
        {
            byte[] plte = new byte[256 * 3];
            for (int i = 0; i < Math.Min(256, palette.Count); i++)
            {
                (plte[i * 3], plte[(i * 3) + 1], plte[(i * 3) + 2]) = palette[i];
            }

            WriteChunk(ms, "PLTE", plte);
        }

        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            byte[] row = new byte[map.Width + 1];
            for (int y = 0; y < map.Height; y++)
            {
                // Filter "Sub": small deltas compress well for label maps.
                row[0] = 1;
                ReadOnlySpan<byte> src = map.Indices.AsSpan(y * map.Width, map.Width);
                row[1] = src[0];
                for (int x = 1; x < map.Width; x++)
                {
                    row[x + 1] = (byte)(src[x] - src[x - 1]);
                }

                z.Write(row);
            }
        }

        WriteChunk(ms, "IDAT", compressed.ToArray());
        WriteChunk(ms, "IEND", []);
        return ms.ToArray();
    }

    private static void Unfilter(byte[] raw, byte[] output, int width, int height, string source)
    {
        int stride = width + 1;
        for (int y = 0; y < height; y++)
        {
            int filter = raw[y * stride];
            int rowStart = (y * stride) + 1;
            int outStart = y * width;
            int prevStart = outStart - width;
            for (int x = 0; x < width; x++)
            {
                int a = x > 0 ? output[outStart + x - 1] : 0;
                int b = y > 0 ? output[prevStart + x] : 0;
                int c = x > 0 && y > 0 ? output[prevStart + x - 1] : 0;
                int value = raw[rowStart + x];
                output[outStart + x] = filter switch
                {
                    0 => (byte)value,
                    1 => (byte)(value + a),
                    2 => (byte)(value + b),
                    3 => (byte)(value + ((a + b) >> 1)),
                    4 => (byte)(value + Paeth(a, b, c)),
                    _ => throw new NasException($"{source}: corrupt PNG (unknown filter {filter} in row {y})"),
                };
            }
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void WriteChunk(Stream s, string type, byte[] body)
    {
        byte[] header = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, body.Length);
        Encoding.ASCII.GetBytes(type, header.AsSpan(4));
        s.Write(header);
        s.Write(body);
        var crc32 = new System.IO.Hashing.Crc32();
        crc32.Append(header.AsSpan(4, 4));
        crc32.Append(body);
        uint crc = crc32.GetCurrentHashAsUInt32();
        byte[] crcBytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crcBytes, crc);
        s.Write(crcBytes);
    }
}
