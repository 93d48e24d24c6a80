using Microsoft.ML.OnnxRuntime;
using Nas.Core;
using Nas.Core.Progress;
using Nas.Core.SearchSpaces;
using Nas.Data.Datasets;
using Nas.Data.Images;
using Nas.Data.Loading;
using Nas.Data.Metrics;
using Nas.Data.Transforms;
using Nas.Deploy.Graphs;
using Nas.Deploy.Verification;
using Nas.Onnx.Graphs;
using Nas.Onnx.Protos;
using Nas.Onnx.Runtime;

namespace Nas.Deploy.Evaluation;

/// <summary>
/// <c>nas eval --onnx</c>: any exported model (FP32, FP16, INT8) evaluated through ONNX Runtime with the datasets,
/// transform and metrics of <c>nas eval</c>, without TorchSharp. Input-size policy: a model exported at a fixed H×W is
/// evaluated at exactly that size — images are resized bilinearly and labels with nearest neighbour to H×W and scored
/// there, which is what <c>nas eval --input HxW</c> does with the TorchSharp network, so both give the same numbers.
/// (Padding or cropping would feed the model content it never saw at that scale, or drop labelled pixels.) A model
/// with a dynamic size runs at <see cref="OnnxEvalOptions.Input"/> or at each image's native size. A fixed batch N &gt; 1
/// is filled with consecutive images; the last batch is padded with copies that are not scored.
/// </summary>
public static class OnnxEvaluator
{
    public static SegmentationReport Evaluate(OnnxEvalOptions options, IProgress<ProgressInfo>? progress = null, CancellationToken cancellationToken = default)
    {
        ModelProto model = OnnxModelFile.Load(options.Model);
        IReadOnlyList<TensorSignature> inputs = TensorSignature.Inputs(model);
        if (inputs.Count != 1 || inputs[0].Shape.Length != 4 || inputs[0].Type != TensorProto.Types.DataType.Float)
        {
            throw new NasException($"{options.Model}: expected one float input N×3×H×W, found {string.Join(", ", inputs)}");
        }

        TensorSignature input = inputs[0];
        if (input.Shape[1] != 3)
        {
            throw new NasException($"{options.Model}: input '{input.Name}' has {input.Shape[1]} channels; dataset images are RGB (3 channels)");
        }

        (int height, int width) = EvaluationSize(options, input);
        SegmentationDataset dataset = DatasetCatalog.Open(options.Dataset, options.Root, options.Split, new DatasetOptions { Limit = options.Limit });
        int classes = dataset.Info.ClassCount;
        if (TensorSignature.Outputs(model).FirstOrDefault() is { Type: TensorProto.Types.DataType.Float, Shape.Length: 4 } logits && logits.Shape[1] > 0 && logits.Shape[1] != classes)
        {
            throw new NasException($"{options.Model}: the model predicts {logits.Shape[1]} classes but {dataset.Info.Name} has {classes}");
        }

        bool cityscapes = dataset is CityscapesDataset;
        if (options.SavePredictions is not null)
        {
            Directory.CreateDirectory(options.SavePredictions);
        }

        int batch = input.Shape[0] > 0 ? (int)input.Shape[0] : 1;
        var loader = new SegmentationLoader(dataset, LoaderOptions.ForEvaluation(options.Workers, TransformOptions.ForEvaluation(height, width)) with { BatchSize = batch });
        var confusion = new ConfusionMatrix(classes);
        using InferenceSession session = OrtSessionFactory.Create(options.Model, options.Ort);
        using var runOptions = new RunOptions();
        int done = 0;
        foreach (DataBatch b in loader.Epoch(0, cancellationToken))
        {
            int plane = b.Height * b.Width;
            float[] images = b.Images;
            if (b.Count < batch)
            {
                images = new float[batch * 3 * plane];
                for (int k = 0; k < batch; k++)
                {
                    Array.Copy(b.Images, Math.Min(k, b.Count - 1) * 3 * plane, images, k * 3 * plane, 3 * plane);
                }
            }

            using OrtValue value = OrtValue.CreateTensorValueFromMemory(images, [batch, 3, b.Height, b.Width]);
            using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, [input.Name], [value], [session.OutputNames[0]]);
            for (int k = 0; k < b.Count; k++)
            {
                byte[] prediction = SegmentationOutput.Classes(outputs[0], k, options.Model);
                if (prediction.Length != plane)
                {
                    throw new NasException($"{options.Model}: the output has {prediction.Length} pixels per image, the input {plane} ({b.Height}x{b.Width})");
                }

                confusion.Add(prediction, b.Labels.AsSpan(k * plane, plane));
                if (options.SavePredictions is not null)
                {
                    PredictionFiles.Save(options.SavePredictions, b.Ids[k], new LabelMap(b.Width, b.Height, prediction), dataset.Info, cityscapes);
                }
            }

            done += b.Count;
            progress?.Report(new ProgressInfo("evaluate", done, dataset.Count));
        }

        return SegmentationMetrics.Report(confusion, dataset.Info.ClassNames, cityscapes) with { Images = done, Dataset = dataset.Info.Name, Split = options.Split };
    }

    private static (int Height, int Width) EvaluationSize(OnnxEvalOptions options, TensorSignature input)
    {
        long h = input.Shape[2], w = input.Shape[3];
        InputSize? requested = null;
        if (options.Input is string text)
        {
            requested = InputSize.TryParse(text, out InputSize s) ? s : throw new NasException($"--input '{text}' is not HxW (e.g. 512x1024)");
        }

        if (h > 0 && w > 0)
        {
            if (requested is InputSize r && (r.Height != h || r.Width != w))
            {
                throw new NasException($"{options.Model}: the model was exported for {h}x{w} input; --input {r} cannot be used (omit it: images are resized to {h}x{w})");
            }

            return ((int)h, (int)w);
        }

        return requested is InputSize size ? (size.Height, size.Width) : (0, 0);
    }
}
