using Nas.Core;
using Nas.Core.Costs;
using Nas.Core.Genotypes;
using Nas.Core.SearchSpaces;
using Nas.Latency.Costs;
using Nas.Latency.Tables;
using Nas.Models.SqueezeNas;
using Nas.TestSupport;

namespace Nas.Latency.Tests;

/// <summary>
/// Every registered cost metric, checked the same way: names, units and predicted keys are distinct and round-trip
/// through the registry; an analytic metric's table sums, for random networks of every space, to the metric of the
/// whole network graph; a measured metric's table cannot be computed; a table records its metric and reads back as it.
/// </summary>
public class CostMetricConformanceTests
{
    public static TheoryData<string> Metrics() => [.. CostMetrics.All.Select(m => m.Name)];

    [Fact]
    public void Names_units_and_keys_are_distinct()
    {
        Assert.Equal(CostMetrics.All.Count, CostMetrics.All.Select(m => m.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(CostMetrics.All.Count, CostMetrics.All.Select(m => m.TableUnit).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(CostMetrics.All.Count, CostMetrics.All.Select(m => m.PredictedKey).Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain("gmacs", CostMetrics.All.Select(m => m.PredictedKey));
    }

    [Theory]
    [MemberData(nameof(Metrics))]
    public void The_registry_finds_a_metric_by_name_and_table_unit(string name)
    {
        CostMetric metric = CostMetrics.FromName(name.ToUpperInvariant());
        Assert.Same(metric, CostMetrics.FromTableUnit(metric.TableUnit, "t.meta.json"));
        Assert.True(metric.SearchScale > 0);
    }

    [Theory]
    [MemberData(nameof(Metrics))]
    public void An_analytic_table_sums_to_the_metric_of_the_whole_network_and_a_measured_one_is_refused(string name)
    {
        CostMetric metric = CostMetrics.FromName(name);
        var input = new InputSize(64, 128);
        if (!metric.IsAnalytic)
        {
            Assert.Null(metric.Analytic(SqueezeNasGraphs.Network(PublishedNetworks.Get("squeezenas-mac-small").Genotype).InferShapes(64, 128)));
            NasException e = Assert.Throws<NasException>(() => AnalyticTableBuilder.Build(metric, SearchSpaceCatalog.Small, input, 19));
            Assert.Contains("measured", e.Message, StringComparison.Ordinal);
            return;
        }

        foreach (SearchSpace space in SearchSpaceCatalog.BuiltIn)
        {
            LookupTable table = AnalyticTableBuilder.Build(metric, space, input, 7);
            Assert.Same(metric, table.Metric);
            var rng = new Random(space.PositionCount);
            for (int i = 0; i < 5; i++)
            {
                Genotype genotype = Genotype.FromIndices(space, Enumerable.Range(0, space.PositionCount).Select(_ => rng.Next(space.Candidates.Count)).ToArray());
                double whole = metric.Analytic(SqueezeNasGraphs.Network(new NamedGenotype("g", genotype, 7)).InferShapes(input.Height, input.Width))!.Value;
                Assert.Equal(whole, table.Predict(genotype), 6);
                Assert.Equal(whole, PredictedCosts.Analytic(genotype, 7, input)[metric.PredictedKey], 6);
                ArchitectureCostModel model = ArchitectureCostModel.Analytic(metric, space, input, 7);
                Assert.Equal(whole * metric.SearchScale, model.Cost(genotype), whole * metric.SearchScale * 1e-9);
                Assert.Equal(metric.SearchUnit, model.Unit);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Metrics))]
    public void A_saved_table_reads_back_with_its_metric(string name)
    {
        CostMetric metric = CostMetrics.FromName(name);
        if (!metric.IsAnalytic)
        {
            return;
        }

        using var dir = new TempDirectory();
        string path = dir.Combine("t.csv");
        AnalyticTableBuilder.Build(metric, SearchSpaceCatalog.Small, new InputSize(64, 128), 4).Save(path);
        Assert.Same(metric, LookupTable.Load(path).Metric);

        // A unit no metric records is refused, naming the metadata file and the known units.
        string meta = LookupTable.MetadataPath(path);
        File.WriteAllText(meta, File.ReadAllText(meta).Replace($"\"unit\": \"{metric.TableUnit}\"", "\"unit\": \"joules\"", StringComparison.Ordinal));
        NasException e = Assert.Throws<NasException>(() => LookupTable.Load(path));
        Assert.Contains(meta, e.Message, StringComparison.Ordinal);
        Assert.Contains("'joules'", e.Message, StringComparison.Ordinal);
    }
}
