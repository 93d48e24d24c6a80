using Nas.Core;
using Nas.OneShot.Supernets;
using Nas.Supernet.Layers;
using Nas.Training.Batches;
using Nas.Training.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace Nas.OneShot.Evaluation;

/// <summary>
/// Scores a sub-network of a trained supernet with its inherited weights. The running BatchNorm statistics of a
/// weight-sharing supernet mix every path that passed through a layer, so they do not describe any one network:
/// before scoring, the statistics of every BatchNorm layer on the path (stem, chosen candidates, last conv, head)
/// are reset and re-estimated as the plain average of per-batch statistics over a few training batches, in training
/// mode without gradients (PyTorch's <c>momentum=None</c>, as Once-for-All's <c>set_running_statistics</c>). Then
/// the network runs in evaluation mode on the held-out batches and the confusion matrix gives mIoU and pixel
/// accuracy. Both batch lists are fixed, so the score of a genotype does not depend on what was evaluated before.
/// </summary>
public sealed class SubnetEvaluator(OneShotSupernet supernet, IReadOnlyList<TensorBatch> calibration, IReadOnlyList<TensorBatch> evaluation)
{
    public OneShotSupernet Supernet { get; } = supernet;

    public SubnetScore Evaluate(IReadOnlyList<int> path, bool reestimateBatchNorm = true, CancellationToken cancellationToken = default)
    {
        if (evaluation.Count == 0)
        {
            throw new NasException("no held-out images to score sub-networks on");
        }

        if (reestimateBatchNorm)
        {
            ReestimateBatchNorm(path, cancellationToken);
        }

        Supernet.Eval();
        var confusion = new ConfusionAccumulator(Supernet.Classes);
        int images = 0;
        using (no_grad())
        {
            foreach (TensorBatch batch in evaluation)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                Tensor logits = Supernet.Forward(batch.Images, path);
                confusion.Add(logits.argmax(1), batch.Labels);
                images += batch.Count;
            }
        }

        var result = new EvaluationResult(double.NaN, confusion.Matrix, images);
        return new SubnetScore(result.MeanIou, result.PixelAccuracy);
    }

    /// <summary>Resets and re-estimates the running statistics of the BatchNorm layers on <paramref name="path"/>.</summary>
    public void ReestimateBatchNorm(IReadOnlyList<int> path, CancellationToken cancellationToken = default)
    {
        if (calibration.Count == 0)
        {
            throw new NasException("BatchNorm re-estimation needs at least one training batch (--bn-batches >= 1)");
        }

        IReadOnlyList<BatchNormalization> layers = Supernet.PathBatchNorms(path).Select(l => l.Layer).ToArray();
        var means = new Tensor[layers.Count];
        var variances = new Tensor[layers.Count];
        try
        {
            using var noGrad = no_grad();
            for (int i = 0; i < layers.Count; i++)
            {
                means[i] = zeros_like(layers[i].running_mean);
                variances[i] = zeros_like(layers[i].running_var);
            }

            Supernet.Train();
            foreach (TensorBatch batch in calibration)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();

                // From zero, one training-mode update leaves running = momentum · (this batch's statistic).
                foreach (BatchNormalization bn in layers)
                {
                    bn.running_mean.zero_();
                    bn.running_var.zero_();
                }

                Supernet.Forward(batch.Images, path);
                for (int i = 0; i < layers.Count; i++)
                {
                    using Scalar momentum = layers[i].Momentum.ToScalar();
                    means[i].add_(layers[i].running_mean.div(momentum));
                    variances[i].add_(layers[i].running_var.div(momentum));
                }
            }

            using Scalar count = ((double)calibration.Count).ToScalar();
            for (int i = 0; i < layers.Count; i++)
            {
                layers[i].running_mean.copy_(means[i].div_(count));
                layers[i].running_var.copy_(variances[i].div_(count));
            }
        }
        finally
        {
            foreach (Tensor t in means.Concat(variances).Where(t => t is not null))
            {
                t.Dispose();
            }

            Supernet.Eval();
        }
    }
}
