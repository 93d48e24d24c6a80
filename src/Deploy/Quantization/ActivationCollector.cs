using Microsoft.ML.OnnxRuntime;
using Nas.Core.Progress;
using Nas.Deploy.Calibration;
using Nas.Onnx.Protos;
using Nas.Onnx.Runtime;

namespace Nas.Deploy.Quantization;

/// <summary>
/// Collects calibration statistics: the tensors to quantise are added to the FP32 model as extra graph outputs and
/// the model runs in ONNX Runtime on every calibration sample (graph inputs are measured from the samples
/// themselves). Pass 1 records minima and maxima; the histogram methods add a second pass that bins the values.
/// </summary>
internal static class ActivationCollector
{
    public static Dictionary<string, TensorStatistics> Collect(
        ModelProto model,
        IReadOnlyList<string> tensors,
        CalibrationSet data,
        QuantizationOptions options,
        OrtOptions ort,
        string what,
        IProgress<ProgressInfo>? progress,
        CancellationToken cancellationToken)
    {
        var stats = tensors.ToDictionary(t => t, t => new TensorStatistics(t), StringComparer.Ordinal);
        var graphInputs = model.Graph.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        string[] inputs = [.. tensors.Where(graphInputs.Contains)];
        string[] outputs = [.. tensors.Where(t => !graphInputs.Contains(t))];
        ModelProto augmented = model.Clone();
        var existing = augmented.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (string t in outputs.Where(t => !existing.Contains(t)))
        {
            augmented.Graph.Output.Add(new ValueInfoProto
            {
                Name = t,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
            });
        }

        int passes = options.Method == CalibrationMethod.MinMax ? 1 : 2;
        if (tensors.Count == 0)
        {
            return stats;
        }

        for (int pass = 0; pass < passes; pass++)
        {
            int current = pass;
            if (outputs.Length == 0)
            {
                // Only graph inputs are quantised (nothing to run): measure them from the samples.
                for (int i = 0; i < data.Count; i++)
                {
                    CalibrationSample sample = data.Load(i);
                    foreach (string input in inputs)
                    {
                        Add(stats[input], sample.Inputs[input], current, options.Bins);
                    }
                }

                continue;
            }

            ModelRunner.Run(augmented, data, outputs, ort, $"{what} (calibration)", (i, sample, results) =>
            {
                for (int k = 0; k < outputs.Length; k++)
                {
                    Add(stats[outputs[k]], results[k].GetTensorDataAsSpan<float>(), current, options.Bins);
                }

                foreach (string input in inputs)
                {
                    Add(stats[input], sample.Inputs[input], current, options.Bins);
                }

                progress?.Report(new ProgressInfo("calibrate", (current * data.Count) + i + 1, passes * data.Count, sample.Source));
            }, cancellationToken);
        }

        return stats;
    }

    private static void Add(TensorStatistics s, ReadOnlySpan<float> values, int pass, int bins)
    {
        if (pass == 0)
        {
            s.AddRange(values);
        }
        else
        {
            s.AddHistogram(values, bins);
        }
    }
}
