using System.Globalization;
using Nas.Core;
using Nas.Data.Datasets;
using Nas.Data.Images;
using Nas.Data.Synthetic;
using Nas.Data.Transforms;
using Nas.Onnx.Protos;

namespace Nas.Deploy.Calibration;

/// <summary>Calibration sets made of images: a dataset split (<see cref="CalibrationSpec"/>) or generated rail scenes.</summary>
public static class CalibrationData
{
    /// <summary>
    /// Images of a dataset split for a model with one N×3×H×W float input. Problems are one-line errors naming the
    /// file: an empty split, a corrupt image, an image whose size differs from the model input (unless resizing).
    /// Files are checked up front (sizes read from headers) so no calibration work is done on a set that would fail.
    /// </summary>
    public static CalibrationSet FromDataset(CalibrationSpec spec, ModelProto model, string what = "model")
    {
        spec.Validate();
        (string input, long[] shape) = ImageInput(model, what);
        SegmentationDataset dataset = DatasetCatalog.Open(spec.Dataset, spec.Root, spec.Split, new DatasetOptions { SkipBad = false });
        if (dataset.Count == 0)
        {
            throw new NasException($"calibration data: {spec.Dataset} split '{spec.Split}' under '{spec.Root}' has no images");
        }

        int n = Math.Min(spec.Images, dataset.Count);
        int[] picks = Enumerable.Range(0, n).Select(i => (int)((long)i * dataset.Count / n)).ToArray();
        int h = (int)shape[2], w = (int)shape[3];
        foreach (int i in picks)
        {
            SampleRef sample = dataset.Samples[i];
            (int iw, int ih) = ReadSize(sample.ImagePath);
            if (!spec.Resize && (iw != w || ih != h))
            {
                throw new NasException($"{sample.ImagePath}: calibration image is {iw}x{ih} (WxH) but the model input is {w}x{h}; export at the images' size or pass --calibration-resize");
            }
        }

        TransformOptions transform = TransformOptions.ForEvaluation(h, w);
        int batch = (int)shape[0];
        int count = (n + batch - 1) / batch;
        string description = string.Create(CultureInfo.InvariantCulture, $"{n} images of {dataset.Info.Name} split '{spec.Split}' ({spec.Root}){(spec.Resize ? $", resized to {h}x{w}" : string.Empty)}");
        return new CalibrationSet(description, count, new Dictionary<string, long[]> { [input] = shape }, b =>
        {
            float[] data = new float[shape.Aggregate(1L, (x, y) => x * y)];
            int plane = 3 * h * w;
            var sources = new List<string>();
            for (int k = 0; k < batch; k++)
            {
                SampleRef sample = dataset.Samples[picks[Math.Min((b * batch) + k, n - 1)]];
                RgbImage image = ImageCodec.Read(sample.ImagePath);
                if (image.Width != w || image.Height != h)
                {
                    image = SegmentationTransform.ResizeBilinear(image, h, w);
                }

                SegmentationTransform.Normalize(image, transform).CopyTo(data, k * plane);
                sources.Add(sample.ImagePath);
            }

            return new CalibrationSample(new Dictionary<string, float[]> { [input] = data }, string.Join(", ", sources.Distinct()));
        });
    }

    /// <summary>Generated synthetic rail scenes (structured images, not noise), normalised like the datasets.</summary>
    public static CalibrationSet SyntheticScenes(ModelProto model, int count, int seed, string what = "model")
    {
        (string input, long[] shape) = ImageInput(model, what);
        int h = (int)shape[2], w = (int)shape[3], batch = (int)shape[0];
        TransformOptions transform = TransformOptions.ForEvaluation(h, w);
        return new CalibrationSet($"{count} synthetic rail scenes (seed {seed})", count, new Dictionary<string, long[]> { [input] = shape }, b =>
        {
            float[] data = new float[shape.Aggregate(1L, (x, y) => x * y)];
            for (int k = 0; k < batch; k++)
            {
                (RgbImage image, _) = SyntheticRailGenerator.Generate(w, h, seed, (b * batch) + k);
                SegmentationTransform.Normalize(image, transform).CopyTo(data, k * 3 * h * w);
            }

            return new CalibrationSample(new Dictionary<string, float[]> { [input] = data }, $"synthetic scene #{b}");
        });
    }

    /// <summary>The model's single image input (N×3×H×W float32, fixed H and W).</summary>
    public static (string Name, long[] Shape) ImageInput(ModelProto model, string what)
    {
        Dictionary<string, long[]> shapes = CalibrationSet.ConcreteShapes(model, what);
        if (shapes.Count != 1)
        {
            throw new NasException($"{what}: image calibration needs a model with one input, this one has {shapes.Count} ({string.Join(", ", shapes.Keys)})");
        }

        (string name, long[] shape) = shapes.First();
        if (shape.Length != 4)
        {
            throw new NasException($"{what}: input '{name}' has {shape.Length} dimensions; calibration images need N×C×H×W");
        }

        if (shape[1] != 3)
        {
            throw new NasException($"{what}: input '{name}' has {shape[1]} channels but calibration images are RGB (3 channels)");
        }

        return (name, shape);
    }

    private static (int Width, int Height) ReadSize(string path)
    {
        try
        {
            return ImageCodec.ReadSize(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NasException($"cannot read calibration image '{path}': {e.Message}", e);
        }
    }
}
