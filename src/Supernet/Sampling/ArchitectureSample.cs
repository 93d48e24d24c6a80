using Nas.Core.Genotypes;
using Nas.Core.SearchSpaces;
using Nas.Training.Tensors;
using static TorchSharp.torch;

namespace Nas.Supernet.Sampling;

/// <summary>
/// One sampled architecture of a supernet: a <see cref="BlockSample"/> per position. Its tensors live in the
/// caller's dispose scope (one per training step).
/// </summary>
public sealed class ArchitectureSample(SearchSpace space, SamplingMode mode, IReadOnlyList<BlockSample> blocks)
{
    public SearchSpace Space { get; } = space;

    public SamplingMode Mode { get; } = mode;

    public IReadOnlyList<BlockSample> Blocks { get; } = blocks;

    /// <summary>The genotype of the chosen (single-path/argmax) or most-weighted (soft, first image) candidates.</summary>
    public Genotype ToGenotype()
    {
        var indices = new int[Blocks.Count];
        for (int i = 0; i < Blocks.Count; i++)
        {
            BlockSample b = Blocks[i];
            indices[i] = b.Mode == SamplingMode.Soft && b.Weights is not null
                ? (int)b.Weights[0].argmax().item<long>()
                : b.Index;
        }

        return Genotype.FromIndices(Space, indices);
    }

    /// <summary>
    /// Σ over positions of Σ_k w_k · cost[p, k] with the sample's weights (mean over images in soft mode):
    /// differentiable with respect to the architecture logits. <paramref name="costs"/> is [P, K].
    /// </summary>
    public Tensor WeightedCost(Tensor costs)
    {
        Tensor total = zeros([], costs.dtype, costs.device);
        for (int p = 0; p < Blocks.Count; p++)
        {
            BlockSample b = Blocks[p];
            if (b.Weights is null)
            {
                total = total.Plus(costs[p, b.Index]);
                continue;
            }

            using Tensor row = costs[p];
            using Tensor weighted = b.Weights * row;
            using Tensor perImage = weighted.sum(-1);
            total = total.Plus(perImage.mean());
        }

        return total;
    }
}
