using static TorchSharp.torch;

namespace Nas.Training.Batches;

/// <summary>A batch on its way into a network: images N×3×H×W (float32, normalised) and labels N×H×W (int64, 255 = ignore).</summary>
public sealed class TensorBatch(Tensor images, Tensor labels) : IDisposable
{
    public Tensor Images { get; } = images;

    public Tensor Labels { get; } = labels;

    public int Count => (int)Images.shape[0];

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
