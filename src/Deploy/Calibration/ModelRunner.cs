using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Nas.Core;
using Nas.Onnx.Protos;
using Nas.Onnx.Runtime;

namespace Nas.Deploy.Calibration;

/// <summary>Runs a model in ONNX Runtime on the samples of a <see cref="CalibrationSet"/> and hands each requested output to a callback.</summary>
internal static class ModelRunner
{
    public static void Run(
        ModelProto model,
        CalibrationSet data,
        IReadOnlyList<string> outputs,
        OrtOptions options,
        string what,
        Action<int, CalibrationSample, IReadOnlyList<OrtValue>> onSample,
        CancellationToken cancellationToken = default)
    {
        using InferenceSession session = OrtSessionFactory.Create(model.ToByteArray(), options, what);
        foreach (string name in session.InputNames)
        {
            if (!data.Shapes.ContainsKey(name))
            {
                throw new NasException($"{what}: input '{name}' is not provided by the calibration data ({data.Description})");
            }
        }

        using var runOptions = new RunOptions();
        string[] inputNames = [.. session.InputNames];
        for (int i = 0; i < data.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            CalibrationSample sample = data.Load(i);
            var values = new List<OrtValue>();
            try
            {
                foreach (string name in inputNames)
                {
                    long[] shape = data.Shapes[name];
                    float[] x = sample.Inputs[name];
                    if (x.LongLength != shape.Aggregate(1L, (a, b) => a * b))
                    {
                        throw new NasException($"{sample.Source}: {x.Length} values for input '{name}' of shape {string.Join('x', shape)}");
                    }

                    values.Add(OrtValue.CreateTensorValueFromMemory(x, shape));
                }

                using IDisposableReadOnlyCollection<OrtValue> results = session.Run(runOptions, inputNames, values, [.. outputs]);
                onSample(i, sample, results);
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
}
