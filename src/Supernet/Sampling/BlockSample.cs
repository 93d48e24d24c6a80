using static TorchSharp.torch;

namespace Nas.Supernet.Sampling;

/// <summary>
/// The architecture choice of one position for one forward pass. Soft: <see cref="Weights"/> is [N, K] (one
/// relaxed sample per image). Single-path: <see cref="Weights"/> is the straight-through one-hot [K] and
/// <see cref="Index"/> the chosen candidate; <see cref="ContrastIndices"/> are further candidates (the next ones of
/// the same Gumbel-top-k draw) that run without gradient so their straight-through weights (value 0) still receive
/// ⟨∂L/∂out, op_j(x)⟩ — see <see cref="Blocks.MixedBlock"/>. Argmax: <see cref="Index"/> only.
/// </summary>
public sealed record BlockSample(SamplingMode Mode, Tensor? Weights, int Index)
{
    public IReadOnlyList<int> ContrastIndices { get; init; } = [];
}
