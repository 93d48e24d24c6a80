namespace Nas.Supernet.Sampling;

/// <summary>How a supernet chooses candidates in a forward pass.</summary>
public enum SamplingMode
{
    /// <summary>
    /// All candidates run; the block output is their weighted sum with relaxed Gumbel-softmax weights, one sample per
    /// image (as the SqueezeNAS code). Memory and time grow with the number of candidates.
    /// </summary>
    Soft,

    /// <summary>
    /// One candidate per position is sampled (per batch) and only it runs; its output is scaled by the
    /// straight-through one-hot weight (value 1, gradient of the relaxed weight) so the logits still learn.
    /// </summary>
    SinglePath,

    /// <summary>The most probable candidate of each position runs, unweighted (evaluation, derivation).</summary>
    Argmax,
}
