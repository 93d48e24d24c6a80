using Nas.Core.Tensors;
using Nas.Models;
using Nas.Models.Registry;
using Nas.TestSupport;
using Nas.Weights.Import;

namespace Nas.Weights.Tests.Zoo;

/// <summary>
/// torchvision's published segmentation weights, where they have been put in <c>../shared/pretrained/torchvision/</c>
/// (not shipped: this machine has no model hub), load strictly into the registered networks with 21 classes.
/// </summary>
public class OfficialTorchvisionWeightsTests
{
    [SkippableTheory]
    [InlineData("lraspp-mobilenet-v3-large", "lraspp_mobilenet_v3_large-d234d4ea.pth")]
    [InlineData("deeplabv3-mobilenet-v3-large", "deeplabv3_mobilenet_v3_large-fc3c493d.pth")]
    [InlineData("deeplabv3-resnet50", "deeplabv3_resnet50_coco-cd0a2569.pth")]
    public void The_official_file_loads_strictly(string model, string file)
    {
        string? path = SharedAssets.File("pretrained", "torchvision", file);
        Skip.If(path is null, $"needs ../shared/pretrained/torchvision/{file} (torchvision's published weights; not shipped)");

        NetworkSpec spec = ModelRegistry.Resolve(model);
        Assert.Contains(file, ModelRegistry.TryGet(model)!.WeightFiles);
        PyTorchStateDict raw = PyTorchCheckpoint.Load(path!);
        Assert.Equal(21, OfficialWeights.ClassCount(raw, spec));
        Dictionary<string, TensorData> tensors = OfficialWeights.Read(raw, spec);
        Assert.Equal(spec.Graph.Parameters().Select(p => p.Name).Order(StringComparer.Ordinal), tensors.Keys.Order(StringComparer.Ordinal));
    }
}
