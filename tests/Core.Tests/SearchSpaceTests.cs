using Nas.Core.Genotypes;
using Nas.Core.SearchSpaces;

namespace Nas.Core.Tests;

public class SearchSpaceTests
{
    [Fact]
    public void TheThirteenCandidatesAreTheOfficialOnesInOrder()
    {
        string[] expected =
        [
            "k3_e1_g1", "k3_e1_g2", "k3_e3_g1", "k3_e6_g1", "k5_e1_g1", "k5_e1_g2", "k5_e3_g1", "k5_e6_g1",
            "k3_e1_g1_d2", "k3_e1_g2_d2", "k3_e3_g1_d2", "k3_e6_g1_d2", "skip",
        ];
        Assert.Equal(expected, CandidateOps.SqueezeNas.Select(o => o.Name));
        Assert.Equal(2, CandidateOps.Parse("k3_e1_g1_d2").Padding);
        Assert.Equal(2, CandidateOps.Parse("k5_e3_g1").Padding);
        Assert.Equal(CandidateOps.Parse("k3_e1_g2"), CandidateOps.Parse("inverse_residual_k3_e1_g2"));
        Assert.True(CandidateOps.Parse("residual_skipish").IsSkip);
    }

    [Theory]
    [InlineData("small", 20, 256, 7, 24)]
    [InlineData("large", 22, 160, 8, 32)]
    [InlineData("xlarge", 22, 320, 4, 32)]
    public void BuiltInSpacesHaveThePublishedMacroArchitecture(string name, int positions, int finalChannels, int skipIndex, int skipChannels)
    {
        SearchSpace space = SearchSpaceCatalog.Resolve(name);
        Assert.Equal(positions, space.PositionCount);
        Assert.Equal(finalChannels, space.FinalChannels);
        Assert.Equal(skipIndex, space.SkipBlockIndex);
        Assert.Equal(skipChannels, space.SkipChannels);
        Assert.Equal(16, space.Positions[^1].OutputReduction);
    }

    [Fact]
    public void SkipBecomesIdentityFactorizedReduceOrProjection()
    {
        Assert.Equal(SkipKind.FactorizedReduce, SearchSpaceCatalog.Small.Positions[0].SkipKind);
        Assert.Equal(SkipKind.Identity, SearchSpaceCatalog.Small.Positions[1].SkipKind);
        Assert.Equal(SkipKind.Projection, SearchSpaceCatalog.Small.Positions[12].SkipKind);
        Assert.Equal(SkipKind.Projection, SearchSpaceCatalog.XLarge.Positions[0].SkipKind); // 48 -> 24
        Assert.False(SearchSpaceCatalog.Small.Positions[12].IsResidual);
        Assert.True(SearchSpaceCatalog.Small.Positions[13].IsResidual);
    }

    [Fact]
    public void SpaceJsonRoundTripsAndKeepsItsCanonicalForm()
    {
        SearchSpace small = SearchSpaceCatalog.Small;
        SearchSpace loaded = SearchSpace.FromJson(small.ToJson(), "test");
        Assert.Equal(small, loaded);
        Assert.Equal("stem=16;stages=16x4s2,24x4s2,40x4s2,48x4s1,96x4s1;last=256;skip=7;head=lr-aspp:128;ops=squeezenas13", small.CanonicalString);
    }

    [Theory]
    [InlineData("{\"name\":\"x\",\"stem_channels\":16,\"stages\":[{\"channels\":16,\"repeats\":1,\"stride\":2}],\"skip_block_index\":0,\"head\":\"lr-aspp\",\"head_channels\":8}", "output stride 16")]
    [InlineData("{\"name\":\"x\",\"stem_channels\":16,\"stages\":[{\"channels\":16,\"repeats\":1,\"stride\":3}],\"skip_block_index\":0,\"head\":\"lr-aspp\",\"head_channels\":8}", "stages[0].stride")]
    [InlineData("{\"name\":\"x\",\"stem_channels\":16,\"bogus\":1}", "bogus")]
    [InlineData("{\"name\":\"x\",\"stem_channels\":16,\"stages\":[{\"channels\":16,\"repeats\":1,\"stride\":2},{\"channels\":24,\"repeats\":1,\"stride\":2},{\"channels\":32,\"repeats\":1,\"stride\":2}],\"skip_block_index\":0,\"head\":\"lr-aspp\",\"head_channels\":8}", "skip_block_index")]
    [InlineData("{\"name\":\"x\",\"stem_channels\":16,\"stages\":[{\"channels\":15,\"repeats\":1,\"stride\":2},{\"channels\":24,\"repeats\":1,\"stride\":2},{\"channels\":32,\"repeats\":1,\"stride\":2}],\"skip_block_index\":1,\"head\":\"lr-aspp\",\"head_channels\":8}", "groups 2")]
    [InlineData("{\"name\":\"x\",\"stem_channels\":16,\"stages\":[{\"channels\":16,\"repeats\":1,\"stride\":2},{\"channels\":24,\"repeats\":1,\"stride\":2},{\"channels\":32,\"repeats\":1,\"stride\":2}],\"skip_block_index\":1,\"head\":\"lr-aspp\",\"head_channels\":8,\"candidates\":[\"k9_foo\"]}", "candidates[0]")]
    [InlineData("{\"name\":\"x\",", "invalid JSON")]
    public void MalformedSpacesAreRejectedWithTheKeyNamed(string json, string expected)
    {
        NasException e = Assert.Throws<NasException>(() => SearchSpace.FromJson(json, "space.json"));
        Assert.Contains("space.json", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void CustomSpaceWithACandidateSubsetWorks()
    {
        const string json = "{\"name\":\"tiny\",\"stem_channels\":8,\"stages\":[{\"channels\":8,\"repeats\":1,\"stride\":2},{\"channels\":16,\"repeats\":2,\"stride\":2},{\"channels\":16,\"repeats\":1,\"stride\":2}],\"skip_block_index\":2,\"head\":\"lr-aspp\",\"head_channels\":8,\"candidates\":[\"k3_e1_g1\",\"k5_e3_g1\",\"skip\"]}";
        SearchSpace tiny = SearchSpace.FromJson(json, "tiny.json");
        Assert.Equal(4, tiny.PositionCount);
        Assert.Equal(3, tiny.Candidates.Count);
        Assert.EndsWith("ops=k3_e1_g1,k5_e3_g1,skip", tiny.CanonicalString);
        Assert.Throws<NasException>(() => Genotype.Parse("tiny:k3_e1_g1,k3_e6_g1,skip,skip", tiny));
    }
}
