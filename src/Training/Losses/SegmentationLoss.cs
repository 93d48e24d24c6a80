using Nas.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Nas.Training.Losses;

/// <summary>Pixel-wise cross-entropy with ignore index 255 and optional class weights (the SqueezeNAS loss).</summary>
public sealed class SegmentationLoss : IDisposable
{
    public const int IgnoreIndex = 255;

    private readonly Tensor? _weights;

    public SegmentationLoss(IReadOnlyList<float>? classWeights = null, Device? device = null)
    {
        if (classWeights is not null)
        {
            if (classWeights.Any(w => !(w >= 0) || float.IsInfinity(w)))
            {
                throw new NasException("class weights must be finite and non-negative");
            }

            _weights = tensor(classWeights.ToArray(), device: device);
        }
    }

    /// <summary>Mean loss over valid pixels; 0 (with gradient) when a batch has no valid pixel.</summary>
    public Tensor Compute(Tensor logits, Tensor labels)
    {
        using Tensor valid = labels.ne(IgnoreIndex);
        if (!valid.any().item<bool>())
        {
            using Scalar zero = 0.0.ToScalar();
            return logits.sum().mul(zero).MoveToOuterDisposeScope();
        }

        return nn.functional.cross_entropy(logits, labels, _weights, ignore_index: IgnoreIndex);
    }

    /// <summary>
    /// ENet class weighting: w_c = 1 / ln(c + p_c) with p_c the class's share of labelled pixels and c = 1.02,
    /// which bounds weights to [1/ln(2.02), 1/ln(1.02)] ≈ [1.42, 50.5].
    /// </summary>
    public static float[] EnetWeights(IReadOnlyList<long> pixelCounts, double c = 1.02)
    {
        long total = pixelCounts.Sum();
        if (total <= 0)
        {
            throw new NasException("cannot compute ENet class weights: the training labels contain no labelled pixels");
        }

        return pixelCounts.Select(n => (float)(1.0 / Math.Log(c + ((double)n / total)))).ToArray();
    }

    public void Dispose() => _weights?.Dispose();
}
