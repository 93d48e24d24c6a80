using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Nas.Onnx.Runtime;

namespace Nas.Latency.Profiling;

/// <summary>
/// Times ONNX models in ONNX Runtime: inputs and outputs are allocated once and bound with <see cref="OrtIoBinding"/>,
/// so the timed <c>RunWithBinding</c> calls measure inference only, not copies. Idle intra-op threads spin while
/// timing (<see cref="OrtOptions.AllowSpinning"/>), as in a deployed latency-critical session.
/// </summary>
public static class OrtProfiler
{
    public static LatencyStats Profile(byte[] model, OrtOptions options, ProfileSettings settings, string source = "model")
    {
        settings.Validate();
        using InferenceSession session = OrtSessionFactory.Create(model, options with { IntraOpThreads = settings.Threads, AllowSpinning = true }, source);
        var values = new List<OrtValue>();
        try
        {
            using var binding = session.CreateIoBinding();
            var random = new Random(0);
            foreach ((string name, NodeMetadata meta) in session.InputMetadata)
            {
                long[] shape = meta.Dimensions.Select(d => (long)Math.Max(1, d)).ToArray();
                float[] data = new float[shape.Aggregate(1L, (a, b) => a * b)];
                for (int i = 0; i < data.Length; i++)
                {
                    data[i] = (float)(random.NextDouble() - 0.5);
                }

                OrtValue value = OrtValue.CreateTensorValueFromMemory(data, shape);
                values.Add(value);
                binding.BindInput(name, value);
            }

            foreach ((string name, NodeMetadata meta) in session.OutputMetadata)
            {
                long[] shape = meta.Dimensions.Select(d => (long)Math.Max(1, d)).ToArray();
                OrtValue value = meta.ElementDataType == TensorElementType.Int64
                    ? OrtValue.CreateTensorValueFromMemory(new long[shape.Aggregate(1L, (a, b) => a * b)], shape)
                    : OrtValue.CreateTensorValueFromMemory(new float[shape.Aggregate(1L, (a, b) => a * b)], shape);
                values.Add(value);
                binding.BindOutput(name, value);
            }

            using var runOptions = new RunOptions();
            return RepeatedTiming.BestOfRepeats(settings, () => session.RunWithBinding(runOptions, binding));
        }
        finally
        {
            foreach (OrtValue v in values)
            {
                v.Dispose();
            }
        }
    }
}
