using Nas.Core.Graphs.Nodes;
using Nas.Core.Tensors;

namespace Nas.Core.Graphs.Passes;

/// <summary>
/// Seeded values for every tensor of a graph without any tensor library (for latency kits and tests): convolution
/// kernels Kaiming-normal (fan_out; bilinear for transposed convolutions with <c>BilinearInit</c>), biases 0,
/// BatchNorm γ 1, β 0, statistics 0/1, PReLU slopes 0.25, architecture logits 0. With <c>randomiseNorms</c> the
/// BatchNorm affine parameters and statistics are random too.
/// </summary>
public static class RandomWeights
{
    public static Dictionary<string, TensorData> For(LayerGraph graph, int seed = 0, bool randomiseNorms = false)
    {
        var random = new Random(seed);
        var result = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        foreach (NamedParameter p in graph.Parameters())
        {
            long[] shape = p.Spec.Shape.Select(d => (long)d).ToArray();
            int n = (int)p.Spec.Elements;
            if (p.Spec.Role == ParameterRole.BatchCounter)
            {
                result[p.Name] = TensorData.FromInt64s(p.Name, shape, new long[n]);
                continue;
            }

            var v = new float[n];
            switch (p.Spec.Role)
            {
                case ParameterRole.Weight when p.Node is ConvTransposeNode { BilinearInit: true } bilinear:
                    float[] kernel = bilinear.BilinearKernel();
                    for (int i = 0; i < n; i++)
                    {
                        v[i] = kernel[i % kernel.Length];
                    }

                    break;
                case ParameterRole.Weight:
                    double fanOut = p.Node is ConvTransposeNode ? shape[1] * shape[2] * shape[3] : shape[0] * shape[2] * shape[3];
                    double std = Math.Sqrt(2.0 / fanOut);
                    for (int i = 0; i < n; i++)
                    {
                        v[i] = (float)(Normal(random) * std);
                    }

                    break;
                case ParameterRole.Scale:
                    Fill(v, randomiseNorms ? () => (float)(0.5 + random.NextDouble()) : () => 1f);
                    break;
                case ParameterRole.Shift or ParameterRole.RunningMean:
                    Fill(v, randomiseNorms ? () => (float)((random.NextDouble() - 0.5) * 0.6) : () => 0f);
                    break;
                case ParameterRole.RunningVar:
                    Fill(v, randomiseNorms ? () => (float)(0.3 + (random.NextDouble() * 1.5)) : () => 1f);
                    break;
                case ParameterRole.Slope:
                    Fill(v, () => 0.25f);
                    break;
                case ParameterRole.Bias when randomiseNorms:
                    Fill(v, () => (float)((random.NextDouble() - 0.5) * 0.2));
                    break;
            }

            result[p.Name] = TensorData.FromFloats(p.Name, shape, v);
        }

        return result;
    }

    private static void Fill(float[] values, Func<float> next)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = next();
        }
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}
