using Nas.Core;
using Nas.Core.IO;
using SkiaSharp;

namespace Nas.Data.Images;

/// <summary>Decodes and encodes RGB images (PNG, JPEG) with SkiaSharp.</summary>
public static class ImageCodec
{
    public static RgbImage Read(string path)
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NasException($"cannot read image '{path}': {e.Message}", e);
        }

        return Decode(data, path);
    }

    public static RgbImage Decode(byte[] data, string source)
    {
        using SKData skData = SKData.CreateCopy(data);
        using SKCodec? codec = SKCodec.Create(skData);
        using SKBitmap? decoded = codec is null ? null : SKBitmap.Decode(codec);
        if (decoded is null)
        {
            throw new NasException($"{source}: not a readable image (corrupt or unsupported format)");
        }

        using SKBitmap rgba = decoded.ColorType == SKColorType.Rgba8888 && decoded.AlphaType != SKAlphaType.Premul
            ? decoded.Copy()
            : ConvertToRgba(decoded);
        var image = new RgbImage(rgba.Width, rgba.Height);
        ReadOnlySpan<byte> src = rgba.GetPixelSpan();
        int rowBytes = rgba.RowBytes;
        for (int y = 0; y < rgba.Height; y++)
        {
            ReadOnlySpan<byte> row = src.Slice(y * rowBytes, rgba.Width * 4);
            Span<byte> dst = image.Pixels.AsSpan(y * rgba.Width * 3, rgba.Width * 3);
            for (int x = 0; x < rgba.Width; x++)
            {
                dst[(x * 3) + 0] = row[(x * 4) + 0];
                dst[(x * 3) + 1] = row[(x * 4) + 1];
                dst[(x * 3) + 2] = row[(x * 4) + 2];
            }
        }

        return image;
    }

    /// <summary>Reads only the size of an image (fast: no pixel decoding).</summary>
    public static (int Width, int Height) ReadSize(string path)
    {
        using SKCodec? codec = SKCodec.Create(path);
        if (codec is null)
        {
            throw new NasException($"{path}: not a readable image (corrupt or unsupported format)");
        }

        return (codec.Info.Width, codec.Info.Height);
    }

    public static SKBitmap ToBitmap(RgbImage image)
    {
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        Span<byte> dst = bitmap.GetPixelSpan();
        int rowBytes = bitmap.RowBytes;
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                int s = ((y * image.Width) + x) * 3;
                int d = (y * rowBytes) + (x * 4);
                dst[d] = image.Pixels[s];
                dst[d + 1] = image.Pixels[s + 1];
                dst[d + 2] = image.Pixels[s + 2];
                dst[d + 3] = 255;
            }
        }

        return bitmap;
    }

    /// <summary>Encodes as PNG or JPEG (by extension) and writes atomically.</summary>
    public static void Write(string path, RgbImage image, int jpegQuality = 92)
    {
        using SKBitmap bitmap = ToBitmap(image);
        Write(path, bitmap, jpegQuality);
    }

    public static void Write(string path, SKBitmap bitmap, int jpegQuality = 92)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        SKEncodedImageFormat format = ext is ".jpg" or ".jpeg" ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png;
        using SKData data = bitmap.Encode(format, format == SKEncodedImageFormat.Jpeg ? jpegQuality : 100)
            ?? throw new NasException($"cannot encode '{path}'");
        AtomicFile.WriteAllBytes(path, data.AsSpan());
    }

    private static SKBitmap ConvertToRgba(SKBitmap source)
    {
        var target = new SKBitmap(new SKImageInfo(source.Width, source.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        if (!source.CopyTo(target, SKColorType.Rgba8888))
        {
            using var canvas = new SKCanvas(target);
            canvas.DrawBitmap(source, 0, 0);
        }

        return target;
    }
}
