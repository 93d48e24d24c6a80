using Nas.Data.Metrics;

namespace Nas.Training.Evaluation;

/// <summary>Loss and confusion matrix of a network over an evaluation split; the scores are <see cref="SegmentationMetrics"/>'.</summary>
public sealed record EvaluationResult(double MeanLoss, ConfusionMatrix Confusion, int Images)
{
    /// <summary>Mean IoU over classes that occur in the ground truth or the prediction.</summary>
    public double MeanIou => SegmentationMetrics.MeanIou(Confusion);

    public double PixelAccuracy => SegmentationMetrics.PixelAccuracy(Confusion);
}
