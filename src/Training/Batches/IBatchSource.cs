namespace Nas.Training.Batches;

/// <summary>
/// Batches for training or evaluation, epoch by epoch. The order of an epoch must depend only on the source's seed
/// and the epoch number, so that a resumed run sees exactly the batches an uninterrupted one would.
/// </summary>
public interface IBatchSource
{
    /// <summary>Number of batches one epoch yields.</summary>
    int BatchesPerEpoch { get; }

    /// <summary>The batches of epoch <paramref name="epoch"/> (0-based). The caller disposes each batch.</summary>
    IEnumerable<TensorBatch> Epoch(int epoch, CancellationToken cancellationToken);
}
