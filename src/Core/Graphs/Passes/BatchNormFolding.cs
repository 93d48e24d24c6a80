using Nas.Core.Graphs.Nodes;
using Nas.Core.Tensors;

namespace Nas.Core.Graphs.Passes;

/// <summary>
/// Folds every BatchNorm that directly follows a convolution or transposed convolution (whose output nothing else
/// reads) into it, for inference: w' = w·γ/√(σ²+ε) per output channel and b' = β + (b − μ)·γ/√(σ²+ε); the convolution
/// gains a bias and the BatchNorm node disappears (readers of its output read the convolution's). Other BatchNorms stay.
/// </summary>
public static class BatchNormFolding
{
    public static WeightedGraph Apply(WeightedGraph input)
    {
        LayerGraph graph = input.Graph;
        var readers = graph.Nodes.SelectMany(n => n.Inputs).GroupBy(v => v, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var outputs = graph.Outputs.Select(o => o.Value).ToHashSet(StringComparer.Ordinal);
        var weights = new Dictionary<string, TensorData>(input.Weights, StringComparer.Ordinal);
        var replaced = new Dictionary<string, Node>(StringComparer.Ordinal);
        var removed = new HashSet<string>(StringComparer.Ordinal);
        var rename = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (BatchNormNode bn in graph.Nodes.OfType<BatchNormNode>())
        {
            string source = bn.Inputs[0];
            Node? producer = graph.ProducerOf(source);
            if (producer is not (ConvNode or ConvTransposeNode) || readers.GetValueOrDefault(source) != 1 || outputs.Contains(source))
            {
                continue;
            }

            float[] gamma = input.Floats(bn, "weight"), beta = input.Floats(bn, "bias");
            float[] mean = input.Floats(bn, "running_mean"), variance = input.Floats(bn, "running_var");
            TensorData w = weights[$"{producer.Name}.weight"];
            float[] kernel = w.ToFloatArray();
            int channels = bn.Channels;
            float[] bias = weights.TryGetValue($"{producer.Name}.bias", out TensorData? b) ? b.ToFloatArray() : new float[channels];
            var scale = new double[channels];
            for (int o = 0; o < channels; o++)
            {
                scale[o] = gamma[o] / Math.Sqrt(variance[o] + bn.Eps);
                bias[o] = (float)(beta[o] + ((bias[o] - mean[o]) * scale[o]));
            }

            ScaleOutputChannels(producer, kernel, w.Shape, scale);
            weights[$"{producer.Name}.weight"] = TensorData.FromFloats(w.Name, [.. w.Shape], kernel);
            weights[$"{producer.Name}.bias"] = TensorData.FromFloats($"{producer.Name}.bias", [channels], bias);
            foreach (ParameterSpec p in bn.Parameters)
            {
                weights.Remove($"{bn.Name}.{p.Name}");
            }

            replaced[producer.Name] = producer switch
            {
                ConvNode c => c with { Bias = true },
                ConvTransposeNode t => t with { Bias = true },
                _ => producer,
            };
            removed.Add(bn.Name);
            rename[bn.Name] = source;
        }

        if (removed.Count == 0)
        {
            return input;
        }

        string Map(string v) => rename.GetValueOrDefault(v, v);
        Node[] nodes = graph.Nodes.Where(n => !removed.Contains(n.Name))
            .Select(n => replaced.GetValueOrDefault(n.Name, n))
            .Select(n => n.Rebind(n.Name, n.Inputs.Select(Map).ToArray(), n.ExternalName))
            .ToArray();
        GraphPart[] parts = graph.Parts.Select(p => p with { Inputs = p.Inputs.Select(Map).ToArray(), Outputs = p.Outputs.Select(Map).ToArray() }).ToArray();
        var folded = new LayerGraph(graph.Name, graph.Inputs, nodes, graph.Outputs.Select(o => o with { Value = Map(o.Value) }).ToArray(), parts);
        return new WeightedGraph(folded, weights);
    }

    private static void ScaleOutputChannels(Node producer, float[] kernel, IReadOnlyList<long> shape, double[] scale)
    {
        if (producer is ConvNode)
        {
            long perOut = kernel.Length / shape[0];
            for (long i = 0; i < kernel.Length; i++)
            {
                kernel[i] = (float)(kernel[i] * scale[i / perOut]);
            }

            return;
        }

        // Transposed convolution: weight [in, out/groups, kH, kW]; output channel = group·(out/groups) + j.
        var t = (ConvTransposeNode)producer;
        long outPerGroup = shape[1], inPerGroup = shape[0] / t.Groups, plane = shape[2] * shape[3];
        for (long i = 0; i < shape[0]; i++)
        {
            long group = i / inPerGroup;
            for (long j = 0; j < outPerGroup; j++)
            {
                double s = scale[(group * outPerGroup) + j];
                long start = ((i * outPerGroup) + j) * plane;
                for (long k = 0; k < plane; k++)
                {
                    kernel[start + k] = (float)(kernel[start + k] * s);
                }
            }
        }
    }
}
