using Nas.Core.Genotypes;
using Nas.Supernet.Networks;
using Nas.Supernet.Sampling;
using static TorchSharp.torch;

namespace Nas.Search.Derivation;

/// <summary>
/// Turns the learned distribution into one architecture: the argmax of each position's logits, or — like the
/// official <c>sample_genotype()</c> — Gumbel samples, keeping the most probable of K.
/// </summary>
public static class GenotypeDerivation
{
    public static Genotype Derive(SqueezeNasSupernet supernet, int samples, Generator? generator)
    {
        if (samples <= 0)
        {
            return supernet.Derive();
        }

        double[,] probs = supernet.Probabilities();
        Genotype? best = null;
        double bestLogProb = double.NegativeInfinity;
        using var noGrad = no_grad();
        for (int i = 0; i < samples; i++)
        {
            using var scope = NewDisposeScope();
            int[] indices = supernet.ArchParameters().Select(p =>
            {
                (Tensor _, Tensor index) = GumbelSoftmax.Hard(p, supernet.Temperature, generator);
                return (int)index.item<long>();
            }).ToArray();
            double logProb = indices.Select((k, pos) => Math.Log(Math.Max(probs[pos, k], 1e-30))).Sum();
            if (logProb > bestLogProb)
            {
                bestLogProb = logProb;
                best = Genotype.FromIndices(supernet.Space, indices);
            }
        }

        return best!;
    }
}
