using Nas.Core;
using Nas.Core.Tensors;
using Nas.Models;
using Nas.Models.Registry;
using Nas.TestSupport;
using Nas.Weights.Import;

namespace Nas.Weights.Tests.Checkpoints;

/// <summary>The official SqueezeNAS files map onto our tensor names through the graphs' external names alone.</summary>
public class OfficialNamingTests
{
    [SkippableTheory]
    [InlineData("squeezenas-mac-small", "mac_small.pth")]
    [InlineData("squeezenas-mac-large", "mac_large.pth")]
    [InlineData("squeezenas-lat-small", "lat_small.pth")]
    public void Official_files_load_strictly_by_external_name(string model, string file)
    {
        string? path = SharedAssets.File("pretrained", "squeezenas", file);
        Skip.If(path is null, $"needs ../shared/pretrained/squeezenas/{file}");
        NetworkSpec network = ModelRegistry.Resolve(model);

        Dictionary<string, TensorData> tensors = OfficialWeights.Read(path!, network);

        Assert.Equal(network.Graph.Parameters().Count, tensors.Count);
        Assert.Equal([16L, 3, 3, 3], tensors["stem.conv.weight"].Shape);
    }

    [SkippableFact]
    public void Weights_of_another_network_are_refused_with_the_names()
    {
        string? path = SharedAssets.File("pretrained", "squeezenas", "mac_small.pth");
        Skip.If(path is null, "needs ../shared/pretrained/squeezenas/mac_small.pth");

        var e = Assert.Throws<NasException>(() => OfficialWeights.Read(path!, ModelRegistry.Resolve("squeezenas-lat-small")));

        Assert.Contains("mac_small.pth", e.Message, StringComparison.Ordinal);
        Assert.Contains("encoder.residuals", e.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Classifiers_are_left_out_for_another_class_count()
    {
        string? path = SharedAssets.File("pretrained", "squeezenas", "mac_small.pth");
        Skip.If(path is null, "needs ../shared/pretrained/squeezenas/mac_small.pth");
        NetworkSpec network = ModelRegistry.Resolve("squeezenas-mac-small", classes: 5);

        Dictionary<string, TensorData> tensors = OfficialWeights.Read(path!, network, skipClassifiers: true);

        Assert.DoesNotContain(tensors.Keys, k => k.StartsWith("head.classifier.", StringComparison.Ordinal));
        Assert.Contains("head.branch.conv.weight", tensors.Keys);
    }
}
