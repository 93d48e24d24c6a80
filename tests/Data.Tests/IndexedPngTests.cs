using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
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
        IndexedPngImage grey = IndexedPng.DecodeFile(IndexedPng.Encode(map, null), "grey");
        Assert.False(grey.IsPalette);
        Assert.Equal(map.Indices, grey.Pixels.Indices);
        IndexedPngImage palette = IndexedPng.DecodeFile(IndexedPng.Encode(map, [(0, 0, 0), (128, 0, 0), (0, 128, 0)]), "palette");
        Assert.True(palette.IsPalette);
        Assert.Equal(map.Indices, palette.Pixels.Indices);
        Assert.Equal((128, 0, 0), palette.Palette[1]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void WriterRoundTripsWithEveryFilter(int filter)
    {
        LabelMap map = TreeBuilder.Label(67, 13, (x, y) => (byte)((x * 13) ^ (y * 29)));
        Assert.Equal(map.Indices, IndexedPng.Decode(IndexedPng.Encode(map, null, filter), "written").Indices);
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
        byte[] png = TestPng.Build(map.Width, map.Height, 8, colorType: 0, Rows(map, 8), _ => filter);
        Assert.Equal(map.Indices, IndexedPng.Decode(png, "filtered").Indices);
    }

    [Fact]
    public void RowsWithDifferentFiltersAndPackedPaletteIndicesDecode()
    {
        // 4-bit palette image, each row with the next filter (0,1,2,3,4,0,...): indices come back unpacked, raw.
        LabelMap map = TreeBuilder.Label(21, 10, (x, y) => (byte)(((x * 5) + (y * 3)) % 16));
        byte[] png = TestPng.Build(map.Width, map.Height, 4, colorType: 3, Rows(map, 4), y => y % 5, palette: new byte[16 * 3]);
        IndexedPngImage decoded = IndexedPng.DecodeFile(png, "packed");
        Assert.Equal(4, decoded.BitDepth);
        Assert.True(decoded.IsPalette);
        Assert.Equal(map.Indices, decoded.Pixels.Indices);
    }

    [Fact]
    public void SkiaSharpGreyscalePngReadsTheSameValues()
    {
        using var dir = new TempDirectory();
        LabelMap map = TreeBuilder.Label(64, 32, (x, y) => (byte)((x + y) % 19));
        using var bitmap = new SKBitmap(new SKImageInfo(64, 32, SKColorType.Gray8, SKAlphaType.Opaque));
        map.Indices.CopyTo(bitmap.GetPixelSpan());
        string path = dir.Combine("skia.png");
        using (SKData data = bitmap.Encode(SKEncodedImageFormat.Png, 100))
        {
            File.WriteAllBytes(path, data.ToArray());
        }

        Assert.Equal(map.Indices, IndexedPng.Read(path).Indices);
        Assert.Equal((64, 32), IndexedPng.ReadSize(path));
    }

    [Fact]
    public void PalettePngsAreIndicesHereButColoursToAnImageDecoder()
    {
        using var dir = new TempDirectory();
        LabelMap map = TreeBuilder.Label(16, 8, (x, _) => (byte)(x < 8 ? 1 : 2));
        string path = dir.Combine("voc.png");
        IndexedPng.WritePalette(path, map, [(0, 0, 0), (128, 0, 0), (0, 128, 0)]);
        RgbImage asColour = ImageCodec.Read(path);
        Assert.Equal(128, asColour.Pixels[0]);         // SkiaSharp expands index 1 to (128, 0, 0) ...
        Assert.Equal(map.Indices, IndexedPng.Read(path).Indices); // ... the label reader keeps the index.
    }

    [Fact]
    public void ColourSixteenBitAndInterlacedPngsAreRejectedNamingTheFile()
    {
        using var dir = new TempDirectory();
        string rgb = dir.Combine("rgb.png");
        ImageCodec.Write(rgb, TreeBuilder.Image(16, 8, 1));
        NasException colour = Assert.Throws<NasException>(() => IndexedPng.Read(rgb));
        Assert.Contains("rgb.png", colour.Message);
        Assert.Contains("RGB", colour.Message);

        byte[] sixteen = TestPng.Build(4, 2, 16, colorType: 0, [new byte[8], new byte[8]], _ => 0);
        NasException deep = Assert.Throws<NasException>(() => IndexedPng.Decode(sixteen, "deep.png"));
        Assert.Contains("deep.png", deep.Message);
        Assert.Contains("16-bit", deep.Message);

        byte[] interlaced = TestPng.Build(4, 2, 8, colorType: 0, [new byte[4], new byte[4]], _ => 0, interlace: 1);
        NasException adam7 = Assert.Throws<NasException>(() => IndexedPng.Decode(interlaced, "adam7.png"));
        Assert.Contains("adam7.png", adam7.Message);
        Assert.Contains("interlaced", adam7.Message);
    }

    [Fact]
    public void CorruptFilesAreRejectedNamingTheFile()
    {
        byte[] good = IndexedPng.Encode(TreeBuilder.Label(16, 8, (x, _) => (byte)x), null);
        Assert.Contains("truncated", Assert.Throws<NasException>(() => IndexedPng.Decode(good[..(good.Length - 20)], "cut.png")).Message);
        Assert.Contains("not a PNG", Assert.Throws<NasException>(() => IndexedPng.Decode([1, 2, 3, 4, 5, 6, 7, 8, 9], "x.png")).Message);

        byte[] flipped = (byte[])good.Clone();
        flipped[good.Length - 20] ^= 0x40; // inside the IDAT data
        NasException crc = Assert.Throws<NasException>(() => IndexedPng.Decode(flipped, "flipped.png"));
        Assert.Contains("flipped.png", crc.Message);
        Assert.Contains("CRC", crc.Message);

        // A damaged checksum alone: rejected by default, readable when CRC checking is off.
        byte[] badCrc = (byte[])good.Clone();
        badCrc[^1] ^= 0xFF;
        Assert.Contains("CRC mismatch in chunk 'IEND'", Assert.Throws<NasException>(() => IndexedPng.Decode(badCrc, "crc.png")).Message);
        Assert.Equal(IndexedPng.Decode(good, "good.png").Indices, IndexedPng.DecodeFile(badCrc, "crc.png", verifyCrc: false).Pixels.Indices);
    }

    private static byte[][] Rows(LabelMap map, int bitDepth)
    {
        int perByte = 8 / bitDepth;
        int rowBytes = ((map.Width * bitDepth) + 7) / 8;
        var rows = new byte[map.Height][];
        for (int y = 0; y < map.Height; y++)
        {
            rows[y] = new byte[rowBytes];
            for (int x = 0; x < map.Width; x++)
            {
                int shift = 8 - (bitDepth * ((x % perByte) + 1));
                rows[y][x / perByte] |= (byte)(map.Indices[(y * map.Width) + x] << shift);
            }
        }

        return rows;
    }

    /// <summary>An independent PNG encoder: the test applies each filter itself and writes real CRCs.</summary>
    private static class TestPng
    {
        public static byte[] Build(int width, int height, int bitDepth, int colorType, byte[][] rows, Func<int, int> filterOfRow, int interlace = 0, byte[]? palette = null)
        {
            var raw = new MemoryStream();
            byte[] previous = new byte[rows[0].Length];
            for (int y = 0; y < height; y++)
            {
                int filter = filterOfRow(y);
                raw.WriteByte((byte)filter);
                byte[] row = rows[y];
                int bpp = bitDepth == 16 ? 2 : 1;
                for (int i = 0; i < row.Length; i++)
                {
                    int a = i >= bpp ? row[i - bpp] : 0;
                    int b = previous[i];
                    int c = i >= bpp ? previous[i - bpp] : 0;
                    int predictor = filter switch
                    {
                        0 => 0,
                        1 => a,
                        2 => b,
                        3 => (a + b) / 2,
                        _ => Paeth(a, b, c),
                    };
                    raw.WriteByte((byte)(row[i] - predictor));
                }

                previous = row;
            }

            var png = new MemoryStream();
            png.Write([137, 80, 78, 71, 13, 10, 26, 10]);
            byte[] ihdr = new byte[13];
            BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
            BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
            ihdr[8] = (byte)bitDepth;
            ihdr[9] = (byte)colorType;
            ihdr[12] = (byte)interlace;
            Chunk(png, "IHDR", ihdr);
            if (palette is not null)
            {
                Chunk(png, "PLTE", palette);
            }

            Chunk(png, "tEXt", Encoding.ASCII.GetBytes("Comment\0ancillary chunks are skipped"));
            var z = new MemoryStream();
            using (var zs = new ZLibStream(z, CompressionLevel.Optimal, leaveOpen: true))
            {
                zs.Write(raw.ToArray());
            }

            // Two IDAT chunks: the reader must concatenate them.
            byte[] compressed = z.ToArray();
            int half = compressed.Length / 2;
            Chunk(png, "IDAT", compressed[..half]);
            Chunk(png, "IDAT", compressed[half..]);
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
            byte[] word = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(word, body.Length);
            s.Write(word);
            byte[] typeAndBody = [.. Encoding.ASCII.GetBytes(type), .. body];
            s.Write(typeAndBody);
            BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.HashToUInt32(typeAndBody));
            s.Write(word);
        }
    }
}
