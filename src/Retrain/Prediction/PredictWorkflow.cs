using Nas.Core;
using Nas.Core.Progress;
using Nas.Core.SearchSpaces;
using Nas.Data.Images;
using Nas.Data.Transforms;
using Nas.Supernet;
using Nas.Supernet.Checkpoints;
using Nas.Supernet.Networks;
using Nas.Training.Data;
using Nas.Weights.Checkpoints;
using static TorchSharp.torch;

namespace Nas.Retrain.Prediction;

/// <summary><c>nas predict</c>: colourised predictions for an image or a folder, optionally blended over the image.</summary>
public static class PredictWorkflow
{
    private static readonly string[] s_extensions = [".jpg", ".jpeg", ".png"];

    /// <summary>
    /// Predicts every image of <paramref name="input"/> (a file or a folder). Every image is decoded once before anything
    /// is written: an unreadable one fails the command with its name, or with <paramref name="skipBad"/> is left out and
    /// reported in <see cref="PredictResult.Skipped"/>. Outputs are written atomically.
    /// </summary>
    public static PredictResult Run(string checkpoint, string input, string output, bool overlay, InputSize? size, int threads, bool skipBad = false, IProgress<ProgressInfo>? progress = null)
    {
        if (threads < 1)
        {
            throw new NasException($"--threads must be >= 1 (got {threads})");
        }

        TorchRuntime.SetThreads(threads);
        CheckpointFile ckpt = CheckpointFile.Load(checkpoint);
        using NetworkModule network = ckpt.CreateNetwork();
        network.eval();
        IReadOnlyList<(byte R, byte G, byte B)> palette = Palette(ckpt.Metadata, network.Classes);

        string[] images;
        bool single = File.Exists(input);
        if (single)
        {
            images = [input];
        }
        else if (Directory.Exists(input))
        {
            images = Directory.EnumerateFiles(input).Where(f => s_extensions.Contains(Path.GetExtension(f).ToLowerInvariant())).Order(StringComparer.Ordinal).ToArray();
            if (images.Length == 0)
            {
                throw new NasException($"no .jpg/.png images in '{input}'");
            }
        }
        else
        {
            throw new NasException($"--image '{input}' is neither a file nor a folder");
        }

        var skipped = new List<string>();
        var readable = new List<string>();
        for (int i = 0; i < images.Length; i++)
        {
            try
            {
                _ = ImageCodec.Read(images[i]);
                readable.Add(images[i]);
            }
            catch (NasException e)
            {
                if (!skipBad)
                {
                    throw new NasException($"{e.Message}; nothing was written (pass --skip-bad to leave unreadable images out)", e);
                }

                skipped.Add(e.Message);
            }

            progress?.Report(new ProgressInfo("check images", i + 1, images.Length));
        }

        if (readable.Count == 0)
        {
            throw new NasException($"none of the {images.Length} images in '{input}' is readable ({skipped[0]})");
        }

        bool outputIsFile = single && Path.GetExtension(output).Equals(".png", StringComparison.OrdinalIgnoreCase);
        if (!outputIsFile)
        {
            Directory.CreateDirectory(output);
        }

        var written = new List<string>();
        TransformOptions transform = new TransformOptions().For(network.Spec.Input);
        for (int i = 0; i < readable.Count; i++)
        {
            RgbImage image = ImageCodec.Read(readable[i]);
            LabelMap prediction = Predict(network, image, transform, size);
            RgbImage colour = Colourise(prediction, palette, overlay ? image : null);
            string target = outputIsFile ? output : Path.Combine(output, Path.GetFileNameWithoutExtension(readable[i]) + ".png");
            ImageCodec.Write(target, colour);
            written.Add(target);
            progress?.Report(new ProgressInfo("predict", i + 1, readable.Count));
        }

        return new PredictResult(written, skipped);
    }

    /// <summary>Class indices at the image's own resolution (logits resized bilinearly when inference ran at another size).</summary>
    public static LabelMap Predict(NetworkModule network, RgbImage image, TransformOptions transform, InputSize? size)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        RgbImage input = size is InputSize s && (s.Height != image.Height || s.Width != image.Width) ? SegmentationTransform.ResizeBilinear(image, s.Height, s.Width) : image;
        Tensor x = tensor(SegmentationTransform.Normalize(input, transform), [1, 3, input.Height, input.Width]);
        Tensor logits = network.call(x);
        if (input != image)
        {
            logits = nn.functional.interpolate(logits, [image.Height, image.Width], mode: InterpolationMode.Bilinear, align_corners: false);
        }

        byte[] classes = logits.argmax(1).to_type(ScalarType.Byte).data<byte>().ToArray();
        return new LabelMap(image.Width, image.Height, classes);
    }

    public static RgbImage Colourise(LabelMap prediction, IReadOnlyList<(byte R, byte G, byte B)> palette, RgbImage? under)
    {
        var result = new RgbImage(prediction.Width, prediction.Height);
        for (int i = 0; i < prediction.Indices.Length; i++)
        {
            int c = prediction.Indices[i];
            (byte r, byte g, byte b) = c < palette.Count ? palette[c] : ((byte)0, (byte)0, (byte)0);
            if (under is null)
            {
                (result.Pixels[i * 3], result.Pixels[(i * 3) + 1], result.Pixels[(i * 3) + 2]) = (r, g, b);
            }
            else
            {
                result.Pixels[i * 3] = (byte)((r + under.Pixels[i * 3]) / 2);
                result.Pixels[(i * 3) + 1] = (byte)((g + under.Pixels[(i * 3) + 1]) / 2);
                result.Pixels[(i * 3) + 2] = (byte)((b + under.Pixels[(i * 3) + 2]) / 2);
            }
        }

        return result;
    }

    public static IReadOnlyList<(byte R, byte G, byte B)> Palette(CheckpointMetadata meta, int classes)
    {
        if (meta.Palette is { } p && p.Count >= classes)
        {
            return p.Select(c => ((byte)c[0], (byte)c[1], (byte)c[2])).ToArray();
        }

        if (classes == 19 && meta.Dataset is null or "cityscapes")
        {
            return Data.Datasets.CityscapesLabels.Info.Palette;
        }

        return Enumerable.Range(0, classes).Select(i => ((byte)(i * 67 % 256), (byte)(i * 131 % 256), (byte)(i * 199 % 256))).ToArray();
    }
}
