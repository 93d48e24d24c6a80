using Nas.Core.Genotypes;
using Nas.Core.SearchSpaces;
using Nas.TestSupport;

namespace Nas.Core.Tests;

public class GenotypeTests
{
    [Fact]
    public void CanonicalTextRoundTrips()
    {
        Genotype g = PublishedNetworks.Get("squeezenas-lat-small").Genotype.Genotype;
        Assert.StartsWith("small:k3_e1_g1,skip,skip,skip,k3_e6_g1,", g.CanonicalString);
        Assert.Equal(g, Genotype.Parse(g.CanonicalString));
    }

    [Fact]
    public void JsonFileRoundTripsWithCustomSpaceEmbedded()
    {
        using var dir = new TempDirectory();
        SearchSpace custom = SearchSpace.Create(SearchSpaceCatalog.Small.Definition with { Name = "small-x", HeadChannels = 64 });
        Genotype g = Genotype.FromIndices(custom, Enumerable.Range(0, 20).Select(i => i % 13).ToArray());
        string path = Path.Combine(dir.Path, "g.json");
        GenotypeFile.Save(path, new NamedGenotype("mine", g, 7) { Predicted = new Dictionary<string, double> { ["macs"] = 1e9 } });
        NamedGenotype back = GenotypeFile.Load(path);
        Assert.Equal(g, back.Genotype);
        Assert.Equal(7, back.Classes);
        Assert.Equal(1e9, back.Predicted!["macs"]);
        Assert.Equal(64, back.Genotype.Space.HeadChannels);
    }

    [Fact]
    public void WrongPositionCountAndUnknownOpsAreNamed()
    {
        NasException count = Assert.Throws<NasException>(() => Genotype.Parse("small:k3_e1_g1,skip"));
        Assert.Contains("has 2 of the 20 positions", count.Message);
        Assert.Contains("has 21 positions, but space 'small' has 20", Assert.Throws<NasException>(() => Genotype.Parse("small:" + string.Join(',', Enumerable.Repeat("skip", 21)))).Message);

        // A single op is genotype text too, not an unknown network name.
        NasException single = Assert.Throws<NasException>(() => PublishedNetworks.Resolve("small:k3_e1_g1"));
        Assert.Contains("has 1 of the 20 positions", single.Message);

        string ops = string.Join(',', Enumerable.Repeat("k3_e1_g1", 19).Append("k7_e1_g1"));
        NasException unknown = Assert.Throws<NasException>(() => Genotype.Parse("small:" + ops));
        Assert.Contains("position 19", unknown.Message);
        Assert.Contains("k7_e1_g1", unknown.Message);

        string bad = string.Join(',', Enumerable.Repeat("k3_e1_g1", 19).Append("banana"));
        Assert.Contains("'banana'", Assert.Throws<NasException>(() => Genotype.Parse("small:" + bad)).Message);
    }

    [Fact]
    public void GenotypeJsonRejectsUnknownKeys()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "g.json");
        File.WriteAllText(path, "{\"space\":\"small\",\"ops\":[],\"colour\":\"red\"}");
        NasException e = Assert.Throws<NasException>(() => GenotypeFile.Load(path));
        Assert.Contains("colour", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void SixPublishedNetworksResolveByName()
    {
        Assert.Equal(6, PublishedNetworks.All.Count);
        Assert.Equal("squeezenas-mac-xlarge", PublishedNetworks.Resolve("squeezenas_mac_xlarge").Name);
        NasException e = Assert.Throws<NasException>(() => PublishedNetworks.Resolve("squeezenas-mac-huge"));
        Assert.Contains("squeezenas-mac-huge", e.Message);
    }
}
