using Nas.Core.Progress;
using Nas.Training.Batches;
using Nas.Training.Losses;
using static TorchSharp.torch;

namespace Nas.Training.Evaluation;

/// <summary>Runs a network over an evaluation source (eval mode, no gradients, one dispose scope per batch).</summary>
public static class SegmentationEvaluator
{
    public static EvaluationResult Evaluate(
        nn.Module<Tensor, Tensor> network,
        int classes,
        IBatchSource source,
        IProgress<ProgressInfo>? progress = null,
        CancellationToken cancellationToken = default,
        Action<int, Tensor, TensorBatch>? onPrediction = null)
    {
        network.eval();
        var confusion = new ConfusionAccumulator(classes);
        using var loss = new SegmentationLoss();
        double lossSum = 0;
        long lossBatches = 0;
        int images = 0;
        int index = 0;
        using (no_grad())
        {
            foreach (TensorBatch batch in source.Epoch(0, cancellationToken))
            {
                using (batch)
                using (NewDisposeScope())
                {
                    Tensor logits = network.call(batch.Images);
                    Tensor prediction = logits.argmax(1);
                    confusion.Add(prediction, batch.Labels);
                    if (batch.Labels.ne(SegmentationLoss.IgnoreIndex).any().item<bool>())
                    {
                        lossSum += loss.Compute(logits, batch.Labels).item<float>();
                        lossBatches++;
                    }

                    onPrediction?.Invoke(index, prediction, batch);
                    images += batch.Count;
                    index++;
                    progress?.Report(new ProgressInfo("evaluate", index, source.BatchesPerEpoch));
                }
            }
        }

        return new EvaluationResult(lossBatches == 0 ? double.NaN : lossSum / lossBatches, confusion.Matrix, images);
    }
}
