using static TorchSharp.torch;

namespace Nas.Supernet.Heads;

/// <summary>A head: (OS16 feature, skip feature) → logits N×classes×H×W at the (padded) input resolution.</summary>
public abstract class SegmentationHead(string name) : nn.Module<Tensor, Tensor, Tensor>(name)
{
    public abstract int Classes { get; }

    /// <summary>The layers that produce class scores (re-initialised when fine-tuning to another class count).</summary>
    public abstract IEnumerable<string> ClassifierParameterPrefixes { get; }
}
