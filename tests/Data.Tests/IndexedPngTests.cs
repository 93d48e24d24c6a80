using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Nas.Core;
using Nas.Data.Images;
using Nas.TestSupport;
using SkiaSharp;

namespace Nas.Data.Tests;

public class IndexedPngTests
{
    [Fact]
    public void GreyAndPaletteRoundTripRawIndices()
    {
        LabelMap map = TreeBuilder.Label(128, 64, (x, y) => (byte)((x * 7) + (y * 3) == 0 ? 255 : ((x / 8) + (y / 8)) % 21));
        LabelMap grey = IndexedPng.Decode(IndexedPng.Encode(map, null), "grey");
        Assert.Equal(map.Indices, grey.Indices);
        LabelMap palette = IndexedPng.Decode(IndexedPng.Encode(map, [(0, 0, 0), (128, 0, 0), (0, 128, 0)]), "palette");
        Assert.Equal(map.Indices, palette.Indices);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void EveryScanlineFilterDecodes(int filter)
    {
        LabelMap map = TreeBuilder.Label(33, 17, (x, y) => (byte)((x * 13) ^ (y * 29)));
        byte[] png = EncodeWithFilter(map, filter);
        Assert.Equal(map.Indices, IndexedPng.Decode(png, "filtered").Indices);
    }

    [Fact]
    public void SkiaSharpGreyscalePngReadsTheSameValues()
    {
        using var dir = new TempDirectory();
        LabelMap map = TreeBuilder.Label(64, 32, (x, y) => (byte)(x % 19));
        using var bitmap = new SKBitmap(new SKImageInfo(64, 32, SKColorType.Gray8, SKAlphaType.Opaque));
        map.Indices.CopyTo(bitmap.GetPixelSpan());
        string path = dir.Combine("skia.png");
        using (SKData data = bitmap.Encode(SKEncodedImageFormat.Png, 100))
        {
            File.WriteAllBytes(path, data.ToArray());
        }

        Assert.Equal(map.Indices, IndexedPng.Read(path).Indices);
    }

    [Fact]
    public void ColourPngsAndCorruptFilesAreRejected()
    {
        using var dir = new TempDirectory();
        string rgb = dir.Combine("rgb.png");
        ImageCodec.Write(rgb, TreeBuilder.Image(16, 8, 1));
        Assert.Contains("rgb.png", Assert.Throws<NasException>(() => IndexedPng.Read(rgb)).Message);

        byte[] good = IndexedPng.Encode(TreeBuilder.Label(16, 8, (_, _) => 3), null);
        Assert.Contains("truncated", Assert.Throws<NasException>(() => IndexedPng.Decode(good[..(good.Length - 20)], "cut.png")).Message);
        Assert.Contains("not a PNG", Assert.Throws<NasException>(() => IndexedPng.Decode([1, 2, 3, 4, 5, 6, 7, 8, 9], "x.png")).Message);
    }

    private static byte[] EncodeWithFilter(LabelMap map, int filter)
    {
        var raw = new MemoryStream();
        for (int y = 0; y < map.Height; y++)
        {
            raw.WriteByte((byte)filter);
            for (int x = 0; x < map.Width; x++)
            {
                int v = map.Indices[(y * map.Width) + x];
                int a = x > 0 ? map.Indices[(y * map.Width) + x - 1] : 0;
                int b = y > 0 ? map.Indices[((y - 1) * map.Width) + x] : 0;
                int c = x > 0 && y > 0 ? map.Indices[((y - 1) * map.Width) + x - 1] : 0;
                int predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    _ => Paeth(a, b, c),
                };
                raw.WriteByte((byte)(v - predictor));
            }
        }

        var png = new MemoryStream();
        png.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        byte[] ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, map.Width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), map.Height);
        ihdr[8] = 8;
        Chunk(png, "IHDR", ihdr);
        var z = new MemoryStream();
        using (var zs = new ZLibStream(z, CompressionLevel.Optimal, leaveOpen: true))
        {
            zs.Write(raw.ToArray());
        }

        Chunk(png, "IDAT", z.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void Chunk(Stream s, string type, byte[] body)
    {
        byte[] len = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, body.Length);
        s.Write(len);
        s.Write(Encoding.ASCII.GetBytes(type));
        s.Write(body);
        s.Write(new byte[4]); // CRC is not checked by the reader
    }
}
