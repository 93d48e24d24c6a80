using Nas.Core;
using Nas.Supernet.Networks;
using Nas.Supernet.Sampling;
using Nas.Training.Losses;
using Nas.Training.Optimization;
using static TorchSharp.torch;

namespace Nas.Search.Steps;

/// <summary>
/// The supernet weight step of the search — sample an architecture per batch, forward, cross-entropy, backward,
/// optimiser step — shared by <see cref="ArchitectureSearch"/> and the benchmarks, so that they time the production step.
/// </summary>
public static class SupernetStep
{
    /// <summary>Clears all gradients, samples one architecture for the batch and returns the sampled network's logits and segmentation loss.</summary>
    public static (Tensor Logits, Tensor Loss) SampledLoss(SqueezeNasSupernet supernet, SegmentationLoss loss, Tensor images, Tensor labels, SamplingMode mode)
    {
        supernet.train();
        Gradients.Clear(supernet.parameters());
        ArchitectureSample sample = supernet.Sample(mode, (int)images.shape[0]);
        Tensor logits = supernet.Forward(images, sample);
        return (logits, loss.Compute(logits, labels));
    }

    /// <summary>One weight update in its own dispose scope; returns the loss. A non-finite loss stops with a clear error.</summary>
    public static double Weights(SqueezeNasSupernet supernet, ParameterOptimizer optimizer, SegmentationLoss loss, Tensor images, Tensor labels, SamplingMode mode)
    {
        using var scope = NewDisposeScope();
        (_, Tensor ce) = SampledLoss(supernet, loss, images, labels, mode);
        double value = ce.item<float>();
        if (!double.IsFinite(value))
        {
            throw new NasException($"the weight loss became {value}; lower --weight-lr or check the data (the last checkpoint is kept)");
        }

        ce.backward();
        optimizer.Step();
        return value;
    }
}
