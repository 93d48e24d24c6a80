namespace Nas.Retrain.Training;

/// <summary>What "best" means for <c>best.ckpt</c>.</summary>
public enum BestMetric
{
    /// <summary>Highest validation mIoU.</summary>
    Miou,

    /// <summary>Lowest validation loss (the seed report's choice).</summary>
    ValLoss,
}
