using Microsoft.ML.OnnxRuntime;
using Nas.Onnx.Runtime;
using static TorchSharp.torch;
using TensorElementType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;

namespace Nas.Supernet.Export;

/// <summary>
/// Runs an exported ONNX file in ONNX Runtime and the network in TorchSharp on the same structured input and compares
/// them: logits by the largest absolute difference (relative to the output range), a label-map output by its agreement
/// with TorchSharp's argmax.
/// </summary>
public static class OnnxVerification
{
    public sealed record Result(double MaxAbsDifference, double OutputRange, double? LabelAgreement = null)
    {
        public double Relative => OutputRange > 0 ? MaxAbsDifference / OutputRange : MaxAbsDifference;
    }

    /// <summary>Compares on <see cref="StructuredInput"/> of the given size.</summary>
    public static Result Verify(nn.Module<Tensor, Tensor> network, byte[] model, int batch, int height, int width, int seed = 0, int threads = 2) =>
        Verify(network, model, StructuredInput(batch, height, width, seed), [batch, 3, height, width], threads);

    public static Result Verify(nn.Module<Tensor, Tensor> network, byte[] model, float[] input, long[] shape, int threads = 2)
    {
        float[] expected;
        network.eval();
        using (no_grad())
        using (NewDisposeScope())
        {
            expected = network.call(tensor(input, shape)).data<float>().ToArray();
        }

        using InferenceSession session = OrtSessionFactory.Create(model, new OrtOptions { IntraOpThreads = threads }, "exported model");
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        string output = session.OutputNames[0];
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(new RunOptions(), [session.InputNames[0]], [value], [output]);
        OrtValue result = outputs[0];
        if (result.GetTensorTypeAndShape().ElementDataType == TensorElementType.Int64)
        {
            return CompareLabels(result.GetTensorDataAsSpan<long>(), expected, shape);
        }

        ReadOnlySpan<float> actual = result.GetTensorDataAsSpan<float>();
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

    /// <summary>
    /// A deterministic image-like input (normalised range about [−2, 2]): smooth gradients, stripes of several
    /// frequencies and flat rectangles — so that pooling, resizes and dilations see spatial structure, not white noise.
    /// </summary>
    public static float[] StructuredInput(int batch, int height, int width, int seed = 0)
    {
        var random = new Random(seed);
        var data = new float[batch * 3 * height * width];
        for (int n = 0; n < batch; n++)
        {
            var rects = Enumerable.Range(0, 6).Select(_ => (Y: random.Next(height), X: random.Next(width), H: 1 + random.Next(Math.Max(1, height / 3)), W: 1 + random.Next(Math.Max(1, width / 3)), V: (float)((random.NextDouble() * 3) - 1.5))).ToArray();
            for (int c = 0; c < 3; c++)
            {
                double fy = 1 + random.Next(6), fx = 1 + random.Next(9), phase = random.NextDouble() * Math.PI * 2;
                for (int y = 0; y < height; y++)
                {
                    for (int x = 0; x < width; x++)
                    {
                        double v = (1.2 * ((double)y / height) - 0.6) + (0.8 * Math.Sin((fy * Math.PI * y / height) + (fx * Math.PI * x / width) + phase));
                        foreach (var r in rects)
                        {
                            if (y >= r.Y && y < r.Y + r.H && x >= r.X && x < r.X + r.W)
                            {
                                v += r.V * (c + 1) / 3.0;
                            }
                        }

                        data[(((n * 3) + c) * height * width) + (y * width) + x] = (float)v;
                    }
                }
            }
        }

        return data;
    }

    private static Result CompareLabels(ReadOnlySpan<long> labels, float[] logits, long[] inputShape)
    {
        long batch = inputShape[0], pixels = inputShape[2] * inputShape[3];
        if (labels.Length != batch * pixels)
        {
            throw new InvalidOperationException($"ONNX label map has {labels.Length} values, expected {batch * pixels}");
        }

        long classes = logits.Length / (batch * pixels);
        long agree = 0;
        for (long n = 0; n < batch; n++)
        {
            for (long p = 0; p < pixels; p++)
            {
                long best = 0;
                float bestValue = float.NegativeInfinity;
                for (long c = 0; c < classes; c++)
                {
                    float v = logits[(((n * classes) + c) * pixels) + p];
                    if (v > bestValue)
                    {
                        (best, bestValue) = (c, v);
                    }
                }

                agree += labels[(int)((n * pixels) + p)] == best ? 1 : 0;
            }
        }

        double agreement = agree / (double)(batch * pixels);
        return new Result(1 - agreement, 1, agreement);
    }
}
