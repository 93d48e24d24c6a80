using Nas.Data.Loading;
using Nas.Training.Batches;
using static TorchSharp.torch;

namespace Nas.Training.Data;

/// <summary>Feeds a dataset loader's batches to training code as tensors (images float32, labels int64).</summary>
public sealed class DatasetBatchSource(SegmentationLoader loader, Device? device = null) : IBatchSource
{
    public SegmentationLoader Loader { get; } = loader;

    public int BatchesPerEpoch => Loader.BatchesPerEpoch;

    public IEnumerable<TensorBatch> Epoch(int epoch, CancellationToken cancellationToken)
    {
        foreach (DataBatch batch in Loader.Epoch(epoch, cancellationToken))
        {
            yield return ToTensors(batch, device);
        }
    }

    public static TensorBatch ToTensors(DataBatch batch, Device? device = null)
    {
        Tensor images = tensor(batch.Images, [batch.Count, 3, batch.Height, batch.Width], device: device);
        using Tensor bytes = tensor(batch.Labels, [batch.Count, batch.Height, batch.Width], ScalarType.Byte);
        Tensor labels = bytes.to(ScalarType.Int64, device ?? CPU);
        return new TensorBatch(images, labels);
    }
}
