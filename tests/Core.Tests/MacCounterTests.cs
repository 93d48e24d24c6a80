using Nas.Core.Costs;
using Nas.Core.Genotypes;
using Nas.Core.SearchSpaces;

namespace Nas.Core.Tests;

public class MacCounterTests
{
    [Fact]
    public void MacSmallMatchesTheReferenceGraphCount()
    {
        // The independent reference ONNX graph of MAC-Small reports 3,007,512,576 conv MACs at 1x3x1024x2048.
        NetworkCost cost = MacCounter.Count(PublishedNetworks.Get("squeezenas-mac-small").Genotype.Genotype, 19, InputSize.Cityscapes);
        Assert.Equal(3_007_512_576L, cost.TotalMacs);
    }

    [Theory]
    [InlineData("squeezenas-mac-small", 3.01)]
    [InlineData("squeezenas-mac-large", 9.39)]
    [InlineData("squeezenas-mac-xlarge", 21.84)]
    [InlineData("squeezenas-lat-small", 4.47)]
    [InlineData("squeezenas-lat-large", 19.57)]
    [InlineData("squeezenas-lat-xlarge", 32.73)]
    public void PublishedNetworksMatchTheOfficialReadmeGmacs(string name, double gmacs)
    {
        NetworkCost cost = MacCounter.Count(PublishedNetworks.Get(name).Genotype.Genotype, 19, InputSize.Cityscapes);
        Assert.Equal(gmacs, cost.TotalMacs / 1e9, 2);
    }

    [Fact]
    public void LrAsppGateConvIsCountedAtItsPooledSize()
    {
        // Gotcha 8 of the reference: the pooled-branch conv adds 131,072 MACs for Small (1x4 output, 256->128).
        IReadOnlyList<PartCost> head = MacCounter.HeadLayers(SearchSpaceCatalog.Small, 19, InputSize.Cityscapes);
        Assert.Equal(131_072L, head.Single(l => l.Name == "head.gate_conv").Macs);
        IReadOnlyList<PartCost> large = MacCounter.HeadLayers(SearchSpaceCatalog.Large, 19, InputSize.Cityscapes);
        Assert.Equal(81_920L, large.Single(l => l.Name == "head.gate_conv").Macs);
    }

    [Fact]
    public void BlockClosedFormsFollowTheConvention()
    {
        BlockPosition p = SearchSpaceCatalog.Small.Positions[4]; // 16->24, stride 2, input 256x512 at 1024x2048
        BlockCost k5e6 = MacCounter.Block(p, CandidateOps.Parse("k5_e6_g1"), InputSize.Cityscapes);
        long hw = 256L * 512, hwOut = 128L * 256;
        Assert.Equal((hw * 16 * 96) + (hwOut * 96 * 25) + (hwOut * 96 * 24), k5e6.Macs);

        BlockCost skip = MacCounter.Block(p, CandidateOp.Skip, InputSize.Cityscapes);
        Assert.Equal(hwOut * 16 * 24, skip.Macs); // FactorizedReduce: two halves of C_out/2

        BlockCost identity = MacCounter.Block(SearchSpaceCatalog.Small.Positions[5], CandidateOp.Skip, InputSize.Cityscapes);
        Assert.Equal(0, identity.Macs);
        Assert.Equal(0, identity.Params);

        BlockCost dilated = MacCounter.Block(SearchSpaceCatalog.Small.Positions[5], CandidateOps.Parse("k3_e1_g1_d2"), InputSize.Cityscapes);
        BlockCost plain = MacCounter.Block(SearchSpaceCatalog.Small.Positions[5], CandidateOps.Parse("k3_e1_g1"), InputSize.Cityscapes);
        Assert.Equal(plain.Macs, dilated.Macs);
    }

    [Fact]
    public void SizesThatAreNotMultiplesOf16AreCountedAtThePaddedSize()
    {
        Genotype g = PublishedNetworks.Get("squeezenas-lat-small").Genotype.Genotype;
        NetworkCost odd = MacCounter.Count(g, 19, new InputSize(100, 200));
        NetworkCost padded = MacCounter.Count(g, 19, new InputSize(112, 208));
        Assert.Equal(new InputSize(112, 208), odd.RunSize);
        Assert.Equal(padded.TotalMacs, odd.TotalMacs);
    }
}
