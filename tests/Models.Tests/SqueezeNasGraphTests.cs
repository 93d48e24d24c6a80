using Nas.Core.Costs;
using Nas.Core.Genotypes;
using Nas.Core.Graphs;
using Nas.Core.SearchSpaces;
using Nas.Models.SqueezeNas;

namespace Nas.Models.Tests;

public class SqueezeNasGraphTests
{
    [Theory]
    [InlineData("squeezenas-mac-small", 3_007_512_576L, 277_598L)]
    [InlineData("squeezenas-mac-large", 9_386_147_840L, 704_382L)]
    [InlineData("squeezenas-mac-xlarge", 21_838_299_136L, 1_819_563L)]
    [InlineData("squeezenas-lat-small", 4_465_098_752L, 465_774L)]
    [InlineData("squeezenas-lat-large", 19_574_636_544L, 1_918_734L)]
    [InlineData("squeezenas-lat-xlarge", 32_729_202_688L, 3_059_323L)]
    public void Published_networks_keep_their_macs_and_parameters_at_full_resolution(string name, long macs, long parameters)
    {
        LayerGraph graph = SqueezeNasGraphs.Network(PublishedNetworks.Get(name).Genotype);
        GraphCost cost = GraphCost.Compute(graph, 1024, 2048);
        Assert.Equal(macs, cost.Macs);
        Assert.Equal(parameters, cost.Params);
    }

    [Theory]
    [InlineData("small", 64, 128, 1)]
    [InlineData("large", 100, 180, 2)]
    [InlineData("xlarge", 96, 200, 3)]
    [InlineData("small", 257, 511, 4)]
    public void Random_genotypes_cost_what_the_analytic_counter_says_per_block(string spaceName, int h, int w, int seed)
    {
        SearchSpace space = SearchSpaceCatalog.Resolve(spaceName);
        var random = new Random(seed);
        for (int trial = 0; trial < 5; trial++)
        {
            Genotype g = Genotype.FromIndices(space, space.Positions.Select(_ => random.Next(space.Candidates.Count)).ToArray());
            var named = new NamedGenotype("g", g, 7);
            GraphCost cost = GraphCost.Compute(SqueezeNasGraphs.Network(named), h, w);
            NetworkCost expected = MacCounter.Count(g, 7, new InputSize(h, w));
            Assert.Equal(expected.TotalMacs, cost.Macs);
            Assert.Equal(expected.TotalParams, cost.Params);
            foreach (BlockCost block in expected.Blocks)
            {
                Nas.Core.Graphs.PartCost part = cost.Parts.Single(p => p.Name == $"blocks.{block.Position.Index}");
                Assert.Equal(block.Macs, part.Macs);
                Assert.Equal(block.Params, part.Params);
                Assert.Equal(block.Op.Name, part.Label);
            }
        }
    }
}
