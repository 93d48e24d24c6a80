using Nas.Training.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Nas.Supernet.Sampling;

/// <summary>
/// Gumbel-softmax sampling (TorchSharp has no <c>gumbel_softmax</c>): g = -log(-log U), U ~ Uniform(0, 1),
/// y = softmax((logits + g) / τ) over the last axis; the straight-through hard variant returns
/// <c>one_hot(argmax y) - y.detach() + y</c>, whose value is one-hot and whose gradient is the soft sample's.
/// </summary>
public static class GumbelSoftmax
{
    // Keeps log(-log U) finite in float32.
    private const double UniformLow = 1e-10;
    private const double UniformHigh = 1.0 - 1e-7;

    public static Tensor Noise(long[] shape, Generator? generator, Device? device = null)
    {
        // Scalars are held until the end of the call: TorchSharp does not keep temporary Scalars alive in native calls.
        using Scalar low = UniformLow.ToScalar();
        using Scalar high = UniformHigh.ToScalar();
        using Tensor u = rand(shape, ScalarType.Float32, device, generator: generator).clamp_(low, high);
        using Tensor inner = u.log().neg_();
        return inner.log().neg_();
    }

    /// <summary>Relaxed sample, same shape as <paramref name="logits"/> (softmax over the last axis).</summary>
    public static Tensor Soft(Tensor logits, double temperature, Generator? generator)
    {
        CheckTemperature(temperature);
        using Tensor g = Noise(logits.shape, generator, logits.device);
        using Scalar tau = temperature.ToScalar();
        using Tensor z = logits.Plus(g).div_(tau);
        return z.softmax(-1);
    }

    /// <summary>Straight-through hard sample and the chosen index along the last axis.</summary>
    public static (Tensor Weights, Tensor Index) Hard(Tensor logits, double temperature, Generator? generator)
    {
        using Tensor soft = Soft(logits, temperature, generator);
        return StraightThrough(soft);
    }

    /// <summary>
    /// Straight-through hard sample of a 1-D logit vector plus the ranking of the perturbed logits (Gumbel-top-k:
    /// the first <paramref name="k"/> indices are a sample without replacement from the categorical distribution).
    /// </summary>
    public static (Tensor Weights, int[] Ranking) HardTopK(Tensor logits, double temperature, Generator? generator, int k)
    {
        using Tensor soft = Soft(logits, temperature, generator);
        (Tensor weights, Tensor index) = StraightThrough(soft);
        index.Dispose();
        using Tensor order = soft.detach().argsort(-1, descending: true);
        int[] ranking = order.data<long>().Take(Math.Min(k, (int)logits.shape[^1])).Select(i => (int)i).ToArray();
        return (weights, ranking);
    }

    private static (Tensor Weights, Tensor Index) StraightThrough(Tensor soft)
    {
        Tensor index = soft.argmax(-1, keepdim: true);
        using Tensor ones = ones_like(index, soft.dtype);
        using Tensor hard = zeros_like(soft).scatter_(-1, index, ones);
        using Tensor detached = soft.detach();
        using Tensor difference = hard.Minus(detached);
        Tensor weights = difference.Plus(soft);
        return (weights, index.squeeze(-1));
    }

    public static void CheckTemperature(double temperature)
    {
        if (!(temperature > 0) || double.IsInfinity(temperature))
        {
            throw new Nas.Core.NasException($"Gumbel temperature must be a positive finite number (got {temperature})");
        }
    }
}
