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

    /// <summary>
    /// Decodes PNG/JPEG (anything SkiaSharp reads) to 8-bit RGB; alpha is dropped. A file that does not decode
    /// completely (truncated, corrupt) is an error naming <paramref name="source"/>, never a partly grey image.
    /// </summary>
    public static RgbImage Decode(byte[] data, string source)
    {
        using SKData skData = SKData.CreateCopy(data);
        using SKCodec? codec = SKCodec.Create(skData);
        if (codec is null)
        {
            throw new NasException($"{source}: not a readable image (corrupt or unsupported format)");
        }

        int width = codec.Info.Width, height = codec.Info.Height;
        if (width <= 0 || height <= 0 || (long)width * height > IndexedPng.MaxPixels)
        {
            throw new NasException($"{source}: unsupported image size {height}x{width} (HxW)");
        }

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var rgba = new SKBitmap(info);
        SKCodecResult result = codec.GetPixels(info, rgba.GetPixels());
        if (result != SKCodecResult.Success)
        {
            string why = result == SKCodecResult.IncompleteInput ? "the file is truncated" : $"decoding failed: {result}";
            throw new NasException($"{source}: corrupt image ({why})");
        }

        var image = new RgbImage(width, height);
        ReadOnlySpan<byte> src = rgba.GetPixelSpan();
        int rowBytes = rgba.RowBytes;
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<byte> row = src.Slice(y * rowBytes, width * 4);
            Span<byte> dst = image.Pixels.AsSpan(y * width * 3, width * 3);
            for (int x = 0; x < width; x++)
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
}
