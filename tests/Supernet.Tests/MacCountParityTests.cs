using Nas.Core.Costs;
using Nas.Core.Genotypes;
using Nas.Core.SearchSpaces;
using Nas.Supernet.Networks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nas.Supernet.Tests;

/// <summary>
/// The analytic counter against a count taken from the real modules, the way the official countmacs.py does it:
/// forward hooks on every Conv2d, MACs = numel(output) · k_h · k_w · C_in / groups, at batch 1 and 1024×2048.
/// </summary>
public class MacCountParityTests
{
    public static TheoryData<string> Published => new(PublishedNetworks.All.Select(n => n.Name));

    [Theory]
    [MemberData(nameof(Published))]
    public void HookedConvMacsEqualTheAnalyticCountAt1024x2048(string name)
    {
        TorchRuntime.SetThreads(2);
        NamedGenotype g = PublishedNetworks.Get(name).Genotype;
        using var net = new SqueezeNasNetwork(g);
        net.eval();
        long hooked = 0;
        var removers = new List<Action>();
        foreach (nn.Module m in net.modules())
        {
            if (m is Conv2d conv)
            {
                long k = conv.kernel_size[0] * conv.kernel_size[1];
                long groups = conv.groups;
                var remover = conv.register_forward_hook((module, input, output) =>
                {
                    hooked += output.numel() * k * input.shape[1] / groups;
                    return output;
                });
                removers.Add(remover.remove);
            }
        }

        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            net.call(rand(1, 3, 1024, 2048));
        }

        foreach (Action remove in removers)
        {
            remove();
        }

        NetworkCost analytic = MacCounter.Count(g.Genotype, g.Classes, InputSize.Cityscapes);
        Assert.Equal(analytic.TotalMacs, hooked);
    }

    [Theory]
    [MemberData(nameof(Published))]
    public void ParameterCountEqualsTheModulesParameters(string name)
    {
        NamedGenotype g = PublishedNetworks.Get(name).Genotype;
        using var net = new SqueezeNasNetwork(g);
        long counted = net.parameters().Sum(p => p.numel());
        Assert.Equal(MacCounter.Count(g.Genotype, g.Classes, InputSize.Cityscapes).TotalParams, counted);
    }

    [Fact]
    public void EveryCandidateAtEveryPositionMatchesTheClosedForm()
    {
        // Block-level check over all (position, candidate) pairs of the Small space at a small size.
        var input = new InputSize(64, 128);
        foreach (BlockPosition p in SearchSpaceCatalog.Small.Positions)
        {
            foreach (CandidateOp op in SearchSpaceCatalog.Small.Candidates)
            {
                using var block = new Nas.Supernet.Blocks.FixedBlock(p, op);
                long expectedParams = MacCounter.Block(p, op, input).Params;
                Assert.Equal(expectedParams, block.parameters().Sum(t => t.numel()));
            }
        }
    }
}
