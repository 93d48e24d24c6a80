using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Nas.Core;
using Nas.Core.Progress;
using Nas.Deploy.Calibration;
using Nas.Onnx.Protos;
using Nas.Onnx.Runtime;

namespace Nas.Deploy.Verification;

/// <summary>Runs the FP32 model and a converted one (INT8, FP16) in ONNX Runtime on the same inputs and compares their first outputs.</summary>
public static class PrecisionComparison
{
    public static ComparisonReport Compare(
        ModelProto reference,
        ModelProto candidate,
        CalibrationSet inputs,
        OrtOptions options,
        IProgress<ProgressInfo>? progress = null,
        CancellationToken cancellationToken = default)
    {
        using InferenceSession a = OrtSessionFactory.Create(reference.ToByteArray(), options, "FP32 model");
        using InferenceSession b = OrtSessionFactory.Create(candidate.ToByteArray(), options, "converted model");
        string[] names = [.. a.InputNames];
        double maxDiff = 0, sumDiff = 0, min = double.MaxValue, max = double.MinValue;
        long values = 0, pixels = 0, agree = 0;
        using var runOptions = new RunOptions();
        for (int i = 0; i < inputs.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            CalibrationSample sample = inputs.Load(i);
            var ortInputs = names.Select(n => OrtValue.CreateTensorValueFromMemory(sample.Inputs[n], inputs.Shapes[n])).ToList();
            try
            {
                using IDisposableReadOnlyCollection<OrtValue> ra = a.Run(runOptions, names, ortInputs, [a.OutputNames[0]]);
                using IDisposableReadOnlyCollection<OrtValue> rb = b.Run(runOptions, names, ortInputs, [b.OutputNames[0]]);
                OrtValue x = ra[0], y = rb[0];
                long[] shape = x.GetTensorTypeAndShape().Shape;
                if (!shape.SequenceEqual(y.GetTensorTypeAndShape().Shape))
                {
                    throw new NasException($"the converted model's output has shape [{string.Join('x', y.GetTensorTypeAndShape().Shape)}], the FP32 model's [{string.Join('x', shape)}]");
                }

                if (x.GetTensorTypeAndShape().ElementDataType == TensorElementType.Float)
                {
                    ReadOnlySpan<float> fx = x.GetTensorDataAsSpan<float>(), fy = y.GetTensorDataAsSpan<float>();
                    for (int k = 0; k < fx.Length; k++)
                    {
                        double d = Math.Abs(fx[k] - fy[k]);
                        maxDiff = Math.Max(maxDiff, d);
                        sumDiff += d;
                        min = Math.Min(min, fx[k]);
                        max = Math.Max(max, fx[k]);
                    }

                    values += fx.Length;
                }

                int batch = (int)shape[0];
                for (int n = 0; n < batch; n++)
                {
                    byte[] ca = SegmentationOutput.Classes(x, n, "FP32 model"), cb = SegmentationOutput.Classes(y, n, "converted model");
                    for (int k = 0; k < ca.Length; k++)
                    {
                        agree += ca[k] == cb[k] ? 1 : 0;
                    }

                    pixels += ca.Length;
                }
            }
            finally
            {
                ortInputs.ForEach(v => v.Dispose());
            }

            progress?.Report(new ProgressInfo("compare", i + 1, inputs.Count, sample.Source));
        }

        return new ComparisonReport(inputs.Count, maxDiff, values > 0 ? max - min : 0, values > 0 ? sumDiff / values : 0, pixels > 0 ? (double)agree / pixels : double.NaN, pixels, inputs.Description);
    }
}
