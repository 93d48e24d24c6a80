using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Nas.Onnx.Protos;
using Nas.Onnx.Runtime;
using Nas.Supernet.Networks;
using static TorchSharp.torch;

namespace Nas.Supernet.Export;

/// <summary>Runs an exported model in ONNX Runtime and the network in TorchSharp on the same random input.</summary>
public static class OnnxVerification
{
    public sealed record Result(double MaxAbsDifference, double OutputRange)
    {
        public double Relative => OutputRange > 0 ? MaxAbsDifference / OutputRange : MaxAbsDifference;
    }

    public static Result Verify(SqueezeNasNetwork network, ModelProto model, int batch, int height, int width, int seed = 0, int threads = 2)
    {
        var random = new Random(seed);
        float[] input = new float[batch * 3 * height * width];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = (float)((random.NextDouble() * 4) - 2);
        }

        float[] expected;
        network.eval();
        using (no_grad())
        using (NewDisposeScope())
        {
            expected = network.call(tensor(input, [batch, 3, height, width])).data<float>().ToArray();
        }

        using InferenceSession session = OrtSessionFactory.Create(model.ToByteArray(), new OrtOptions { IntraOpThreads = threads }, "exported model");
        using var value = OrtValue.CreateTensorValueFromMemory(input, [batch, 3, height, width]);
        string output = session.OutputNames[0];
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(new RunOptions(), [session.InputNames[0]], [value], [output]);
        ReadOnlySpan<float> actual = outputs[0].GetTensorDataAsSpan<float>();
        if (actual.Length != expected.Length)
        {
            throw new InvalidOperationException($"ONNX output has {actual.Length} values, TorchSharp {expected.Length}");
        }

        double maxDiff = 0, min = double.MaxValue, max = double.MinValue;
        for (int i = 0; i < expected.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs(actual[i] - expected[i]));
            min = Math.Min(min, expected[i]);
            max = Math.Max(max, expected[i]);
        }

        return new Result(maxDiff, max - min);
    }
}
