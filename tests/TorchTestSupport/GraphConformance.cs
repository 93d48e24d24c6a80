using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Nas.Core.Graphs;
using Nas.Core.Graphs.Passes;
using Nas.Core.Tensors;
using Nas.Onnx.Export;
using Nas.Onnx.Runtime;
using Nas.Supernet.Checkpoints;
using Nas.Supernet.Export;
using Nas.Supernet.Graphs;
using static TorchSharp.torch;

namespace Nas.TorchTestSupport;

/// <summary>
/// What the conformance tests do to any graph: fill it with random weights (BatchNorm statistics and affine
/// parameters really random, so that folding is exercised), run it in TorchSharp and, exported, in ONNX Runtime on a
/// structured input, and compare.
/// </summary>
public static class GraphConformance
{
    public static Dictionary<string, TensorData> RandomWeights(LayerGraph graph, int seed) =>
        Core.Graphs.Passes.RandomWeights.For(graph, seed, randomiseNorms: true);

    /// <summary>Largest |ONNX − TorchSharp| relative to the TorchSharp output range, per output.</summary>
    public static double[] Compare(LayerGraph graph, IReadOnlyList<ValueShape> inputs, int seed = 0)
    {
        Dictionary<string, TensorData> weights = RandomWeights(graph, seed);
        LayerGraph inference = graph.ForInference();
        float[][] data = inputs.Select((s, i) => OnnxVerification.StructuredInput(1, s.Height, s.Width, seed + i).Take(s.Channels * s.Height * s.Width).ToArray()).ToArray();
        for (int i = 0; i < inputs.Count; i++)
        {
            if (inputs[i].Channels != 3)
            {
                data[i] = Enumerable.Range(0, inputs[i].Channels * inputs[i].Height * inputs[i].Width)
                    .Select(k => (float)(Math.Sin(k * 0.37) + Math.Cos(k * 0.011))).ToArray();
            }
        }

        float[][] expected;
        using (var module = new GraphModule(inference))
        {
            // The export gets every tensor (auxiliary heads included, as a training checkpoint holds them) and must drop them itself.
            var used = inference.Parameters().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            StateDictLoader.Load(module, weights.Where(kv => used.Contains(kv.Key)).ToDictionary(), "random weights");
            module.eval();
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            Tensor[] outputs = module.Run(inputs.Select((s, i) => tensor(data[i], [1, s.Channels, s.Height, s.Width])).ToArray());
            expected = outputs.Select(o => o.to_type(ScalarType.Float32).data<float>().ToArray()).ToArray();
        }

        byte[] model = LayerGraphExporter.Export(graph, weights, inputs).ToByteArray();
        using InferenceSession session = OrtSessionFactory.Create(model, new OrtOptions { IntraOpThreads = 2 }, graph.Name);
        var values = inputs.Select((s, i) => OrtValue.CreateTensorValueFromMemory(data[i], [1, s.Channels, s.Height, s.Width])).ToArray();
        try
        {
            using IDisposableReadOnlyCollection<OrtValue> results = session.Run(new RunOptions(), session.InputNames, values, session.OutputNames);
            var differences = new double[expected.Length];
            for (int o = 0; o < expected.Length; o++)
            {
                float[] actual = results[o].GetTensorDataAsSpan<float>().ToArray();
                if (actual.Length != expected[o].Length)
                {
                    throw new InvalidOperationException($"{graph.Name}: output {o} has {actual.Length} values in ONNX, {expected[o].Length} in TorchSharp");
                }

                double range = expected[o].Max() - expected[o].Min();
                double max = expected[o].Zip(actual, (a, b) => (double)Math.Abs(a - b)).DefaultIfEmpty(0).Max();
                differences[o] = range > 0 ? max / range : max;
            }

            return differences;
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
