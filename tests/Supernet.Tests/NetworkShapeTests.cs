using Nas.Core.Genotypes;
using Nas.Models.Registry;
using Nas.Supernet.Networks;
using static TorchSharp.torch;

namespace Nas.Supernet.Tests;

public class NetworkShapeTests
{
    public static TheoryData<string> Published => new(PublishedNetworks.All.Select(n => n.Name));

    [Theory]
    [MemberData(nameof(Published))]
    public void PublishedNetworksProduceLogitsAtInputResolution(string name)
    {
        TorchRuntime.SetThreads(2);
        using var scope = NewDisposeScope();
        using var net = new NetworkModule(ModelRegistry.Resolve(name));
        net.eval();
        using var noGrad = no_grad();
        Tensor logits = net.call(randn(2, 3, 64, 128));
        Assert.Equal([2L, 19, 64, 128], logits.shape);
        Assert.True(logits.isfinite().all().item<bool>());
    }

    [Theory]
    [InlineData("squeezenas-lat-small", 72, 100)]
    [InlineData("squeezenas-mac-xlarge", 50, 70)]
    public void SidesThatAreNotMultiplesOf16ArePaddedAndCropped(string name, int h, int w)
    {
        TorchRuntime.SetThreads(2);
        using var scope = NewDisposeScope();
        using var net = new NetworkModule(ModelRegistry.Resolve(name));
        net.eval();
        using var noGrad = no_grad();
        Tensor x = randn(1, 3, h, w);
        Tensor logits = net.call(x);
        Assert.Equal([1L, 19, h, w], logits.shape);

        // Identical to running the explicitly zero-padded input and cropping: the padding is the documented behaviour.
        long ph = (h + 15) / 16 * 16, pw = (w + 15) / 16 * 16;
        Tensor padded = nn.functional.pad(x, [0, pw - w, 0, ph - h]);
        Tensor reference = net.call(padded)[.., .., ..h, ..w];
        Assert.True(logits.allclose(reference, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void ClassCountChangesOnlyTheClassifiers()
    {
        using var scope = NewDisposeScope();
        using var net = new NetworkModule(ModelRegistry.Resolve("squeezenas-mac-small", 5));
        net.eval();
        using var noGrad = no_grad();
        Assert.Equal([1L, 5, 32, 64], net.call(randn(1, 3, 32, 64)).shape);
    }
}
