using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Nas.Onnx.Runtime;

namespace Nas.Latency.Profiling;

/// <summary>
/// An ONNX Runtime session ready to be timed: inputs (random) and outputs are allocated once and bound with
/// <see cref="OrtIoBinding"/>, so <see cref="Run"/> measures inference only, not copies.
/// </summary>
public sealed class OrtTimedSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();
    private readonly List<OrtValue> _values = [];

    public OrtTimedSession(byte[] model, OrtOptions options, string source)
    {
        _session = OrtSessionFactory.Create(model, options, source);
        try
        {
            _binding = _session.CreateIoBinding();
            var random = new Random(0);
            foreach ((string name, NodeMetadata meta) in _session.InputMetadata)
            {
                long[] shape = meta.Dimensions.Select(d => (long)Math.Max(1, d)).ToArray();
                float[] data = new float[shape.Aggregate(1L, (a, b) => a * b)];
                for (int i = 0; i < data.Length; i++)
                {
                    data[i] = (float)(random.NextDouble() - 0.5);
                }

                OrtValue value = OrtValue.CreateTensorValueFromMemory(data, shape);
                _values.Add(value);
                _binding.BindInput(name, value);
            }

            foreach ((string name, NodeMetadata meta) in _session.OutputMetadata)
            {
                long[] shape = meta.Dimensions.Select(d => (long)Math.Max(1, d)).ToArray();
                OrtValue value = meta.ElementDataType == TensorElementType.Int64
                    ? OrtValue.CreateTensorValueFromMemory(new long[shape.Aggregate(1L, (a, b) => a * b)], shape)
                    : OrtValue.CreateTensorValueFromMemory(new float[shape.Aggregate(1L, (a, b) => a * b)], shape);
                _values.Add(value);
                _binding.BindOutput(name, value);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>One inference on the bound buffers.</summary>
    public void Run() => _session.RunWithBinding(_runOptions, _binding);

    public void Dispose()
    {
        _binding?.Dispose();
        foreach (OrtValue v in _values)
        {
            v.Dispose();
        }

        _runOptions.Dispose();
        _session.Dispose();
    }
}
