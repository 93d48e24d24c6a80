using Nas.Data.Images;

namespace Nas.Data.Transforms;

/// <summary>The image/label pipelines; outputs are a CHW float32 image (normalised, in the options' channel order) and an HW label array.</summary>
public static class SegmentationTransform
{
    /// <summary>Training pipeline: random scale → random crop (padding labels with 255) → flip → jitter → normalise.</summary>
    public static (float[] Image, byte[] Label) Train(RgbImage image, LabelMap label, TransformOptions options, Random rng)
    {
        double scale = options.ScaleMin + (rng.NextDouble() * (options.ScaleMax - options.ScaleMin));
        int cropH = options.Height > 0 ? options.Height : image.Height;
        int cropW = options.Width > 0 ? options.Width : image.Width;
        int sh = Math.Max(1, (int)Math.Round(image.Height * scale));
        int sw = Math.Max(1, (int)Math.Round(image.Width * scale));
        RgbImage scaledImage = sh == image.Height && sw == image.Width ? image : ResizeBilinear(image, sh, sw);
        LabelMap scaledLabel = sh == label.Height && sw == label.Width ? label : ResizeNearest(label, sh, sw);

        int y0 = sh > cropH ? rng.Next(sh - cropH + 1) : 0;
        int x0 = sw > cropW ? rng.Next(sw - cropW + 1) : 0;
        bool flip = options.Flip && rng.NextDouble() < 0.5;
        (float brightness, float contrast, float saturation) = JitterFactors(options.Jitter, rng);

        byte[] meanColor = options.PadImageWithMean ? options.MeanPixel() : new byte[3];

        var chw = new float[3 * cropH * cropW];
        var labels = new byte[cropH * cropW];
        int plane = cropH * cropW;
        float[] mean = [.. options.Mean];
        float[] std = [.. options.Std];
        float pixelScale = options.Scale;
        int c0 = options.SourceChannel(0), c1 = options.SourceChannel(1), c2 = options.SourceChannel(2);
        Span<float> rgb = stackalloc float[3];
        for (int y = 0; y < cropH; y++)
        {
            int sy = y0 + y;
            for (int x = 0; x < cropW; x++)
            {
                int sx = x0 + (flip ? cropW - 1 - x : x);
                float r, g, b;
                byte l;
                bool inside = sy < sh && sx < sw;
                if (inside)
                {
                    int s = ((sy * sw) + sx) * 3;
                    r = scaledImage.Pixels[s];
                    g = scaledImage.Pixels[s + 1];
                    b = scaledImage.Pixels[s + 2];
                    l = scaledLabel.Indices[(sy * sw) + sx];
                }
                else
                {
                    // Padding: the fill colour exactly (no jitter), label ignored.
                    r = meanColor[0];
                    g = meanColor[1];
                    b = meanColor[2];
                    l = 255;
                }

                if (inside && (brightness != 1 || contrast != 1 || saturation != 1))
                {
                    float grey = (0.299f * r) + (0.587f * g) + (0.114f * b);
                    r = Photometric(r, grey, brightness, contrast, saturation);
                    g = Photometric(g, grey, brightness, contrast, saturation);
                    b = Photometric(b, grey, brightness, contrast, saturation);
                }

                int o = (y * cropW) + x;
                (rgb[0], rgb[1], rgb[2]) = (r, g, b);
                chw[o] = ((rgb[c0] * pixelScale) - mean[0]) / std[0];
                chw[plane + o] = ((rgb[c1] * pixelScale) - mean[1]) / std[1];
                chw[(2 * plane) + o] = ((rgb[c2] * pixelScale) - mean[2]) / std[2];
                labels[o] = l;
            }
        }

        return (chw, labels);
    }

    /// <summary>Evaluation pipeline: optional resize to Height×Width (labels nearest), then normalise.</summary>
    public static (float[] Image, byte[] Label, int Height, int Width) Eval(RgbImage image, LabelMap label, TransformOptions options)
    {
        int h = options.Height > 0 ? options.Height : image.Height;
        int w = options.Width > 0 ? options.Width : image.Width;
        RgbImage img = h == image.Height && w == image.Width ? image : ResizeBilinear(image, h, w);
        LabelMap lab = h == label.Height && w == label.Width ? label : ResizeNearest(label, h, w);
        return (Normalize(img, options), (byte[])lab.Indices.Clone(), h, w);
    }

    public static float[] Normalize(RgbImage image, TransformOptions options)
    {
        int plane = image.Width * image.Height;
        var chw = new float[3 * plane];
        for (int c = 0; c < 3; c++)
        {
            int source = options.SourceChannel(c);
            float scale = options.Scale, mean = options.Mean[c], std = options.Std[c];
            for (int i = 0; i < plane; i++)
            {
                chw[(c * plane) + i] = ((image.Pixels[(i * 3) + source] * scale) - mean) / std;
            }
        }

        return chw;
    }

    /// <summary>Bilinear resize with half-pixel centres (as PIL / torchvision for images).</summary>
    public static RgbImage ResizeBilinear(RgbImage image, int height, int width)
    {
        var result = new RgbImage(width, height);
        double sy = (double)image.Height / height, sx = (double)image.Width / width;
        Parallel.For(0, height, y =>
        {
            double fy = Math.Clamp(((y + 0.5) * sy) - 0.5, 0, image.Height - 1);
            int y0 = (int)fy, y1 = Math.Min(y0 + 1, image.Height - 1);
            double wy = fy - y0;
            for (int x = 0; x < width; x++)
            {
                double fx = Math.Clamp(((x + 0.5) * sx) - 0.5, 0, image.Width - 1);
                int x0 = (int)fx, x1 = Math.Min(x0 + 1, image.Width - 1);
                double wx = fx - x0;
                for (int c = 0; c < 3; c++)
                {
                    double top = (image.Pixels[(((y0 * image.Width) + x0) * 3) + c] * (1 - wx)) + (image.Pixels[(((y0 * image.Width) + x1) * 3) + c] * wx);
                    double bottom = (image.Pixels[(((y1 * image.Width) + x0) * 3) + c] * (1 - wx)) + (image.Pixels[(((y1 * image.Width) + x1) * 3) + c] * wx);
                    result.Pixels[(((y * width) + x) * 3) + c] = (byte)Math.Clamp(Math.Round((top * (1 - wy)) + (bottom * wy)), 0, 255);
                }
            }
        });
        return result;
    }

    /// <summary>Nearest-neighbour resize: the only resize labels ever get.</summary>
    public static LabelMap ResizeNearest(LabelMap label, int height, int width)
    {
        var result = new LabelMap(width, height);
        for (int y = 0; y < height; y++)
        {
            int sy = Math.Min(label.Height - 1, (int)((y + 0.5) * label.Height / height));
            for (int x = 0; x < width; x++)
            {
                int sx = Math.Min(label.Width - 1, (int)((x + 0.5) * label.Width / width));
                result.Indices[(y * width) + x] = label.Indices[(sy * label.Width) + sx];
            }
        }

        return result;
    }

    private static (float Brightness, float Contrast, float Saturation) JitterFactors(double amount, Random rng)
    {
        if (amount <= 0)
        {
            return (1, 1, 1);
        }

        float Draw() => (float)(1 + (((rng.NextDouble() * 2) - 1) * amount));
        return (Draw(), Draw(), Draw());
    }

    private static float Photometric(float v, float grey, float brightness, float contrast, float saturation)
    {
        float s = grey + ((v - grey) * saturation);
        float c = 128 + ((s - 128) * contrast);
        return Math.Clamp(c * brightness, 0, 255);
    }
}
