using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;
using Nas.Core;
using Nas.Core.IO;

namespace Nas.Data.Images;

/// <summary>
/// Reads and writes label maps as PNG files of raw indices. Image libraries turn palette PNGs into colours; a
/// label map must be read as the palette index (VOC) or the grey value (Cityscapes, RailSem19) itself, so this
/// reader decodes greyscale (colour type 0) and palette (colour type 3) PNGs directly: chunks (CRC checked),
/// zlib, and the five scanline filters. 8-bit is the norm; 1/2/4-bit maps are unpacked to one byte per pixel.
/// 16-bit, colour, and interlaced PNGs are rejected with a message naming the file.
/// </summary>
public static class IndexedPng
{
    /// <summary>Largest accepted image, in pixels (a 16k × 16k label map).</summary>
    public const long MaxPixels = 1L << 28;

    private static readonly byte[] s_signature = [137, 80, 78, 71, 13, 10, 26, 10];

    public static LabelMap Read(string path) => ReadFile(path).Pixels;

    /// <summary>Reads the raw values and the header facts (colour type, bit depth, palette).</summary>
    public static IndexedPngImage ReadFile(string path, bool verifyCrc = true)
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

        return DecodeFile(data, path, verifyCrc);
    }

    public static LabelMap Decode(byte[] data, string source) => DecodeFile(data, source).Pixels;

    /// <summary>Decodes PNG bytes; <paramref name="source"/> names them in error messages.</summary>
    public static IndexedPngImage DecodeFile(byte[] data, string source, bool verifyCrc = true)
    {
        if (data.Length < 8 || !data.AsSpan(0, 8).SequenceEqual(s_signature))
        {
            throw new NasException($"{source}: not a PNG file");
        }

        int width = 0, height = 0, bitDepth = 0;
        bool palette = false, header = false, ended = false;
        (byte R, byte G, byte B)[] colours = [];
        using var idat = new MemoryStream();
        int pos = 8;
        while (pos < data.Length && !ended)
        {
            if (data.Length - pos < 12)
            {
                throw new NasException($"{source}: truncated PNG (incomplete chunk header at byte {pos})");
            }

            long length = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(pos));
            string type = Encoding.ASCII.GetString(data, pos + 4, 4);
            if (pos + 12 + length > data.Length)
            {
                throw new NasException($"{source}: truncated PNG (chunk '{type}' at byte {pos})");
            }

            ReadOnlySpan<byte> body = data.AsSpan(pos + 8, (int)length);
            if (verifyCrc)
            {
                uint stored = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(pos + 8 + (int)length));
                if (Crc32.HashToUInt32(data.AsSpan(pos + 4, 4 + (int)length)) != stored)
                {
                    throw new NasException($"{source}: corrupt PNG (CRC mismatch in chunk '{type}' at byte {pos})");
                }
            }

            if (!header && type != "IHDR")
            {
                throw new NasException($"{source}: corrupt PNG (first chunk is '{type}', not IHDR)");
            }

            switch (type)
            {
                case "IHDR":
                    (width, height, bitDepth, palette) = ParseHeader(body, source);
                    header = true;
                    break;
                case "PLTE":
                    if (length == 0 || length % 3 != 0 || length > 768)
                    {
                        throw new NasException($"{source}: corrupt PNG (PLTE chunk of {length} bytes)");
                    }

                    colours = new (byte, byte, byte)[length / 3];
                    for (int i = 0; i < colours.Length; i++)
                    {
                        colours[i] = (body[i * 3], body[(i * 3) + 1], body[(i * 3) + 2]);
                    }

                    break;
                case "IDAT":
                    idat.Write(body);
                    break;
                case "IEND":
                    ended = true;
                    break;
                default:
                    if (char.IsUpper(type[0]))
                    {
                        throw new NasException($"{source}: unsupported critical PNG chunk '{type}'");
                    }

                    break;
            }

            pos += 12 + (int)length;
        }

        if (!header)
        {
            throw new NasException($"{source}: PNG without a header");
        }

        if (!ended)
        {
            throw new NasException($"{source}: truncated PNG (no IEND chunk)");
        }

        int rowBytes = ((width * bitDepth) + 7) / 8;
        byte[] raw = new byte[(long)(rowBytes + 1) * height];
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
        Unfilter(raw, indices, width, height, rowBytes, bitDepth, source);
        return new IndexedPngImage(new LabelMap(width, height, indices), palette, bitDepth, colours);
    }

    /// <summary>Width and height from the header, without decompressing (fast).</summary>
    public static (int Width, int Height) ReadSize(string path)
    {
        byte[] head = new byte[33];
        try
        {
            using FileStream stream = File.OpenRead(path);
            if (stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) < head.Length)
            {
                throw new NasException($"{path}: truncated PNG");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NasException($"cannot read label '{path}': {e.Message}", e);
        }

        if (!head.AsSpan(0, 8).SequenceEqual(s_signature) || Encoding.ASCII.GetString(head, 12, 4) != "IHDR")
        {
            throw new NasException($"{path}: not a PNG file");
        }

        (int w, int h, _, _) = ParseHeader(head.AsSpan(16, 13), path);
        return (w, h);
    }

    /// <summary>Writes an 8-bit greyscale PNG (atomic).</summary>
    public static void WriteGray(string path, LabelMap map) => AtomicFile.WriteAllBytes(path, Encode(map, null));

    /// <summary>Writes an 8-bit palette PNG whose pixel values are the indices and whose palette gives their colours (atomic).</summary>
    public static void WritePalette(string path, LabelMap map, IReadOnlyList<(byte R, byte G, byte B)> palette) =>
        AtomicFile.WriteAllBytes(path, Encode(map, palette));

    /// <summary>
    /// Encodes an 8-bit greyscale PNG, or a palette PNG when <paramref name="palette"/> is given (padded to 256
    /// entries so that every index, 255 included, has a colour). Rows use the "Sub" filter unless
    /// <paramref name="filter"/> names another (0 None, 1 Sub, 2 Up, 3 Average, 4 Paeth).
    /// </summary>
    public static byte[] Encode(LabelMap map, IReadOnlyList<(byte R, byte G, byte B)>? palette, int filter = 1)
    {
        if (filter is < 0 or > 4)
        {
            throw new ArgumentOutOfRangeException(nameof(filter), filter, "PNG filters are 0..4");
        }

        if (palette is { Count: > 256 })
        {
            throw new ArgumentException($"a PNG palette holds at most 256 colours, got {palette.Count}", nameof(palette));
        }

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
            for (int i = 0; i < palette.Count; i++)
            {
                (plte[i * 3], plte[(i * 3) + 1], plte[(i * 3) + 2]) = palette[i];
            }

            WriteChunk(ms, "PLTE", plte);
        }

        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            int w = map.Width;
            byte[] row = new byte[w + 1];
            for (int y = 0; y < map.Height; y++)
            {
                row[0] = (byte)filter;
                ReadOnlySpan<byte> src = map.Indices.AsSpan(y * w, w);
                ReadOnlySpan<byte> up = y > 0 ? map.Indices.AsSpan((y - 1) * w, w) : new byte[w];
                for (int x = 0; x < w; x++)
                {
                    int a = x > 0 ? src[x - 1] : 0;
                    int b = up[x];
                    int c = x > 0 ? up[x - 1] : 0;
                    int predictor = filter switch
                    {
                        0 => 0,
                        1 => a,
                        2 => b,
                        3 => (a + b) >> 1,
                        _ => Paeth(a, b, c),
                    };
                    row[x + 1] = (byte)(src[x] - predictor);
                }

                z.Write(row);
            }
        }

        WriteChunk(ms, "IDAT", compressed.ToArray());
        WriteChunk(ms, "IEND", []);
        return ms.ToArray();
    }

    private static (int Width, int Height, int BitDepth, bool Palette) ParseHeader(ReadOnlySpan<byte> body, string source)
    {
        if (body.Length != 13)
        {
            throw new NasException($"{source}: corrupt PNG (IHDR of {body.Length} bytes)");
        }

        long width = BinaryPrimitives.ReadUInt32BigEndian(body);
        long height = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
        int bitDepth = body[8], colorType = body[9], interlace = body[12];
        if (width == 0 || height == 0 || width * height > MaxPixels)
        {
            throw new NasException($"{source}: unsupported PNG size {height}x{width} (HxW)");
        }

        if (colorType is not (0 or 3))
        {
            string kind = colorType switch
            {
                2 => "RGB",
                4 => "grey + alpha",
                6 => "RGBA",
                _ => "unknown",
            };
            throw new NasException($"{source}: label PNG has colour type {colorType} ({kind}); labels must be greyscale or palette index maps (one class index per pixel), not colour images");
        }

        if (bitDepth == 16)
        {
            throw new NasException($"{source}: label PNG is 16-bit greyscale; only 8-bit index maps are supported (convert it to 8-bit; class indices are 0..254, 255 = ignore)");
        }

        if (bitDepth is not (1 or 2 or 4 or 8))
        {
            throw new NasException($"{source}: corrupt PNG (bit depth {bitDepth})");
        }

        if (body[10] != 0 || body[11] != 0)
        {
            throw new NasException($"{source}: unknown PNG compression/filter method ({body[10]}/{body[11]})");
        }

        if (interlace != 0)
        {
            throw new NasException($"{source}: interlaced (Adam7) PNGs are not supported for labels; re-save it without interlacing");
        }

        return ((int)width, (int)height, bitDepth, colorType == 3);
    }

    private static void Unfilter(byte[] raw, byte[] output, int width, int height, int rowBytes, int bitDepth, string source)
    {
        int stride = rowBytes + 1;
        byte[] previous = new byte[rowBytes];
        byte[] current = new byte[rowBytes];
        for (int y = 0; y < height; y++)
        {
            int filter = raw[(long)y * stride];
            Span<byte> line = raw.AsSpan((y * stride) + 1, rowBytes);
            for (int x = 0; x < rowBytes; x++)
            {
                int a = x > 0 ? current[x - 1] : 0;
                int b = previous[x];
                int c = x > 0 ? previous[x - 1] : 0;
                int value = line[x];
                current[x] = filter switch
                {
                    0 => (byte)value,
                    1 => (byte)(value + a),
                    2 => (byte)(value + b),
                    3 => (byte)(value + ((a + b) >> 1)),
                    4 => (byte)(value + Paeth(a, b, c)),
                    _ => throw new NasException($"{source}: corrupt PNG (unknown filter {filter} in row {y})"),
                };
            }

            Span<byte> target = output.AsSpan(y * width, width);
            if (bitDepth == 8)
            {
                current.AsSpan(0, width).CopyTo(target);
            }
            else
            {
                int perByte = 8 / bitDepth, mask = (1 << bitDepth) - 1;
                for (int x = 0; x < width; x++)
                {
                    int shift = 8 - (bitDepth * ((x % perByte) + 1));
                    target[x] = (byte)((current[x / perByte] >> shift) & mask);
                }
            }

            (previous, current) = (current, previous);
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
        var crc32 = new Crc32();
        crc32.Append(header.AsSpan(4, 4));
        crc32.Append(body);
        byte[] crcBytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crcBytes, crc32.GetCurrentHashAsUInt32());
        s.Write(crcBytes);
    }
}
