using Nas.Core.Genotypes;
using Nas.Core.SearchSpaces;
using Nas.Supernet.Networks;
using Nas.Supernet.Sampling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nas.Supernet.Tests;

public class SupernetTests
{
    [Theory]
    [InlineData(SamplingMode.Soft, 0)]
    [InlineData(SamplingMode.SinglePath, 0)]
    [InlineData(SamplingMode.SinglePath, 1)]
    [InlineData(SamplingMode.SinglePath, 2)]
    [InlineData(SamplingMode.SinglePath, 3)]
    public void ArchitectureLogitsReceiveGradients(SamplingMode mode, int seed)
    {
        TorchRuntime.SetThreads(2);
        manual_seed(seed);
        using var scope = NewDisposeScope();
        using var supernet = new SqueezeNasSupernet(SearchSpaceCatalog.Small, 4);
        supernet.train();
        using var gen = new Generator((ulong)(7 + seed));
        supernet.Generator = gen;
        supernet.Temperature = 2.0;
        supernet.ContrastPaths = 1;
        ArchitectureSample sample = supernet.Sample(mode, 2);
        Tensor logits = supernet.Forward(randn(2, 3, 64, 128), sample);
        Assert.Equal([2L, 4, 64, 128], logits.shape);
        Tensor target = randint(0, 4, [2, 64, 128]);
        Tensor loss = nn.functional.cross_entropy(logits, target);
        loss.backward();
        IReadOnlyList<Parameter> arch = supernet.ArchParameters();
        for (int i = 0; i < arch.Count; i++)
        {
            Assert.NotNull(arch[i].grad);
            Assert.True(arch[i].grad!.abs().sum().item<float>() > 0, $"no gradient at position {i} in {mode} mode (op {sample.Blocks[i].Index})");
        }
    }

    [Fact]
    public void SinglePathSkipIdentityStillLearns()
    {
        // Force the identity skip at every residual position: the weight multiplies x, so its logit gets a gradient.
        using var scope = NewDisposeScope();
        using var supernet = new SqueezeNasSupernet(SearchSpaceCatalog.Small, 3);
        int skip = SearchSpaceCatalog.Small.IndexOf(CandidateOp.Skip);
        using (no_grad())
        {
            foreach (Parameter p in supernet.ArchParameters())
            {
                p[skip] = tensor(50f);
            }
        }

        ArchitectureSample sample = supernet.Sample(SamplingMode.SinglePath, 1);
        Assert.All(sample.Blocks, b => Assert.Equal(skip, b.Index));
        Tensor loss = supernet.Forward(randn(1, 3, 32, 64), sample).square().mean();
        loss.backward();
        Parameter identityPosition = supernet.ArchParameters()[1]; // position 1: 16->16 stride 1
        Assert.True(identityPosition.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void ArgmaxDerivationAndExtractedNetworkAgree()
    {
        using var scope = NewDisposeScope();
        Genotype target = PublishedNetworks.Get("squeezenas-lat-small").Genotype.Genotype;
        using var supernet = new SqueezeNasSupernet(SearchSpaceCatalog.Small, 19);
        using (no_grad())
        {
            for (int i = 0; i < target.Ops.Count; i++)
            {
                supernet.ArchParameters()[i][SearchSpaceCatalog.Small.IndexOf(target.Ops[i])] = tensor(3f);
            }
        }

        Assert.Equal(target, supernet.Derive());
        using NetworkModule net = supernet.ExtractNetwork(new NamedGenotype("derived", target, 19));
        supernet.eval();
        net.eval();
        using var noGrad = no_grad();
        Tensor x = randn(1, 3, 64, 128);
        Tensor a = supernet.Forward(x, supernet.Sample(SamplingMode.Argmax, 1));
        Tensor b = net.call(x);
        Assert.True(a.allclose(b, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void GumbelHardSampleIsOneHotWithSoftGradient()
    {
        using var scope = NewDisposeScope();
        Tensor logits = zeros(13).requires_grad_(true);
        using var gen = new Generator(1);
        (Tensor w, Tensor index) = GumbelSoftmax.Hard(logits, 1.0, gen);
        Assert.Equal(1.0f, w.sum().item<float>(), 5);
        Assert.Equal(1.0f, w[index].item<float>(), 5);
        (w * arange(13).to_type(ScalarType.Float32)).sum().backward();
        Assert.True(logits.grad!.abs().sum().item<float>() > 0);
        Assert.Throws<Nas.Core.NasException>(() => GumbelSoftmax.Soft(logits, 0, gen));
    }

    [Fact]
    public void SoftSamplesArePerImage()
    {
        using var scope = NewDisposeScope();
        using var supernet = new SqueezeNasSupernet(SearchSpaceCatalog.Small, 2);
        ArchitectureSample s = supernet.Sample(SamplingMode.Soft, 3);
        Tensor w = s.Blocks[0].Weights!;
        Assert.Equal([3L, 13], w.shape);
        Assert.True(w.sum(1).allclose(ones(3), atol: 1e-5));
        Assert.False(w[0].allclose(w[1]));
    }
}
