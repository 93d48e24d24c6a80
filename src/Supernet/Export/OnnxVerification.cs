using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Nas.Core;
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

    /// <summary>
    /// The outcome of verifying a written file. For a logits graph: the largest difference and the output range. For a
    /// label graph (<c>--argmax</c>): how many pixels carry TorchSharp's argmax, and how many that do not are near-ties
    /// (TorchSharp's logit of ONNX Runtime's label is within <see cref="TieTolerance"/> of the range below the maximum).
    /// </summary>
    public sealed record FileResult(bool Labels, double MaxAbsDifference, double OutputRange, long Pixels, long Agreeing, long NearTies)
    {
        public const double TieTolerance = 1e-4;

        public double Relative => OutputRange > 0 ? MaxAbsDifference / OutputRange : MaxAbsDifference;

        /// <summary>Every value agrees: logits within 1e-4 of the range, or every label TorchSharp's argmax up to near-ties.</summary>
        public bool Ok => Labels ? Agreeing + NearTies == Pixels : Relative < TieTolerance;
    }

    public static Result Verify(SqueezeNasNetwork network, ModelProto model, int batch, int height, int width, int seed = 0, int threads = 2)
    {
        float[] input = RandomInput(batch, height, width, seed);
        float[] expected = Logits(network, input, batch, height, width);
        using InferenceSession session = OrtSessionFactory.Create(model.ToByteArray(), new OrtOptions { IntraOpThreads = threads }, "exported model");
        using var value = OrtValue.CreateTensorValueFromMemory(input, [batch, 3, height, width]);
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(new RunOptions(), [session.InputNames[0]], [value], [session.OutputNames[0]]);
        (double maxDiff, double range) = Compare(outputs[0].GetTensorDataAsSpan<float>(), expected);
        return new Result(maxDiff, range);
    }

    /// <summary>
    /// Verifies the ONNX file at <paramref name="path"/> as written: loads it from disk into ONNX Runtime and compares
    /// its output with the network in TorchSharp, as logits or (for an int64 label output) as TorchSharp's argmax.
    /// </summary>
    public static FileResult VerifyFile(SqueezeNasNetwork network, string path, int batch, int height, int width, int seed = 0, int threads = 2)
    {
        float[] input = RandomInput(batch, height, width, seed);
        float[] expected = Logits(network, input, batch, height, width);
        using InferenceSession session = OrtSessionFactory.Create(File.ReadAllBytes(path), new OrtOptions { IntraOpThreads = threads }, path);
        using var value = OrtValue.CreateTensorValueFromMemory(input, [batch, 3, height, width]);
        string outputName = session.OutputNames[0];
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(new RunOptions(), [session.InputNames[0]], [value], [outputName]);
        OrtValue output = outputs[0];
        TensorElementType type = output.GetTensorTypeAndShape().ElementDataType;
        if (type == TensorElementType.Float)
        {
            (double maxDiff, double range) = Compare(output.GetTensorDataAsSpan<float>(), expected);
            return new FileResult(false, maxDiff, range, expected.Length, 0, 0);
        }

        if (type != TensorElementType.Int64)
        {
            throw new NasException($"{path}: output '{outputName}' is {type}, neither float logits nor int64 labels");
        }

        return CompareLabels(output.GetTensorDataAsSpan<long>(), expected, batch, network.Classes, height * width, path);
    }

    private static FileResult CompareLabels(ReadOnlySpan<long> labels, float[] logits, int batch, int classes, int plane, string path)
    {
        if (labels.Length != batch * plane)
        {
            throw new NasException($"{path}: label output has {labels.Length} values, expected {batch * plane} ({batch} × H × W)");
        }

        double min = logits.Min(), max = logits.Max();
        double tolerance = FileResult.TieTolerance * Math.Max(max - min, 1e-12);
        long agreeing = 0, nearTies = 0;
        for (int n = 0; n < batch; n++)
        {
            for (int i = 0; i < plane; i++)
            {
                int best = 0;
                float bestValue = float.NegativeInfinity;
                for (int c = 0; c < classes; c++)
                {
                    float v = logits[(((n * classes) + c) * plane) + i];
                    if (v > bestValue)
                    {
                        (best, bestValue) = (c, v);
                    }
                }

                long label = labels[(n * plane) + i];
                if (label == best)
                {
                    agreeing++;
                }
                else if (label >= 0 && label < classes && logits[(((n * classes) + (int)label) * plane) + i] >= bestValue - tolerance)
                {
                    nearTies++;
                }
            }
        }

        return new FileResult(true, 0, max - min, (long)batch * plane, agreeing, nearTies);
    }

    private static float[] RandomInput(int batch, int height, int width, int seed)
    {
        var random = new Random(seed);
        float[] input = new float[batch * 3 * height * width];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = (float)((random.NextDouble() * 4) - 2);
        }

        return input;
    }

    private static float[] Logits(SqueezeNasNetwork network, float[] input, int batch, int height, int width)
    {
        network.eval();
        using (no_grad())
        using (NewDisposeScope())
        {
            return network.call(tensor(input, [batch, 3, height, width])).data<float>().ToArray();
        }
    }

    private static (double MaxDiff, double Range) Compare(ReadOnlySpan<float> actual, float[] expected)
    {
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

        return (maxDiff, max - min);
    }
}
