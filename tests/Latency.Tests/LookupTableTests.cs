using Nas.Core;
using Nas.Core.Costs;
using Nas.Core.Genotypes;
using Nas.Core.Graphs;
using Nas.Core.SearchSpaces;
using Nas.Latency.Tables;
using Nas.Models.SqueezeNas;
using Nas.TestSupport;

namespace Nas.Latency.Tests;

public class LookupTableTests
{
    [Fact]
    public void MacTableHasOneRowPerUniqueEntryAndPredictsTheAnalyticCount()
    {
        using var dir = new TempDirectory();
        LookupTable table = AnalyticTableBuilder.Build(CostMetrics.Macs, SearchSpaceCatalog.Small, InputSize.Cityscapes, 19);
        Assert.Equal(table.Rows.Count, table.Rows.Select(r => r.Key).Distinct().Count());
        IReadOnlyList<LutEntrySpec> layout = LookupTableLayout.For(SearchSpaceCatalog.Small, InputSize.Cityscapes, 19);
        Assert.Equal((20 * 13) + 3, layout.Count);
        string path = dir.Combine("macs.csv");
        table.Save(path);
        LookupTable loaded = LookupTable.Load(path, SearchSpaceCatalog.Small, InputSize.Cityscapes);
        foreach (PublishedNetwork n in PublishedNetworks.All.Where(n => n.Genotype.Genotype.Space.Name == "small"))
        {
            Assert.Equal(GraphCost.Compute(SqueezeNasGraphs.Network(n.Genotype), 1024, 2048).Macs, loaded.Predict(n.Genotype.Genotype), 0);
        }
    }

    [Fact]
    public void CalibrationIsAppliedLinearlyAndRoundTrips()
    {
        using var dir = new TempDirectory();
        LookupTable raw = AnalyticTableBuilder.Build(CostMetrics.Macs, SearchSpaceCatalog.Small, new InputSize(256, 512), 19);
        Genotype g = PublishedNetworks.Get("squeezenas-lat-small").Genotype.Genotype;
        string path = dir.Combine("cal.csv");
        raw.WithCalibration(0.5, 1000, "test").Save(path);
        LookupTable calibrated = LookupTable.Load(path, SearchSpaceCatalog.Small, new InputSize(256, 512));
        Assert.Equal((0.5 * raw.Predict(g)) + 1000, calibrated.Predict(g), 6);
        Assert.Equal(raw.Predict(g), calibrated.PredictRaw(g), 6);
        (double[,] blocks, double fixedCost) = calibrated.CostMatrix(SearchSpaceCatalog.Small);
        double sum = fixedCost + g.Ops.Select((op, p) => blocks[p, SearchSpaceCatalog.Small.IndexOf(op)]).Sum();
        Assert.Equal(calibrated.Predict(g), sum, 6);
    }

    [Theory]
    [InlineData("duplicate", "duplicate key")]
    [InlineData("nan", "not a finite number")]
    [InlineData("negative", "not a finite number")]
    [InlineData("unknown-op", "unknown op")]
    [InlineData("wrong-key", "does not match")]
    [InlineData("missing", "missing entry")]
    [InlineData("unit", "unit")]
    public void CorruptRowsAreRejectedWithFileAndRow(string corruption, string expected)
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("t.csv");
        AnalyticTableBuilder.Build(CostMetrics.Macs, SearchSpaceCatalog.Small, new InputSize(256, 512), 19).Save(path);
        List<string> lines = File.ReadAllLines(path).ToList();
        string[] cells = lines[5].Split(',');
        switch (corruption)
        {
            case "duplicate":
                lines.Add(lines[5]);
                break;
            case "nan":
                cells[7] = "NaN";
                lines[5] = string.Join(',', cells);
                break;
            case "negative":
                cells[7] = "-3";
                lines[5] = string.Join(',', cells);
                break;
            case "unknown-op":
                cells[3] = "k7_x";
                lines[5] = string.Join(',', cells);
                break;
            case "wrong-key":
                cells[4] = "99x1x1";
                lines[5] = string.Join(',', cells);
                break;
            case "missing":
                lines.RemoveAt(5);
                break;
            case "unit":
                cells[8] = "ms";
                lines[5] = string.Join(',', cells);
                break;
        }

        File.WriteAllLines(path, lines);
        NasException e = Assert.Throws<NasException>(() => LookupTable.Load(path, SearchSpaceCatalog.Small, new InputSize(256, 512)));
        Assert.Contains("t.csv", e.Message);
        Assert.Contains(expected, e.Message);
        if (corruption is not ("missing" or "duplicate"))
        {
            Assert.Contains("row 6", e.Message);
        }
    }

    [Fact]
    public void TablesForAnotherSpaceOrSizeAreRefused()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("large.csv");
        AnalyticTableBuilder.Build(CostMetrics.Macs, SearchSpaceCatalog.Large, new InputSize(256, 512), 19).Save(path);
        Assert.Contains("not 'small'", Assert.Throws<NasException>(() => LookupTable.Load(path, SearchSpaceCatalog.Small, new InputSize(256, 512))).Message);
        Assert.Contains("--input 512x1024", Assert.Throws<NasException>(() => LookupTable.Load(path, SearchSpaceCatalog.Large, new InputSize(512, 1024))).Message);
        File.Delete(LookupTable.MetadataPath(path));
        Assert.Contains("metadata", Assert.Throws<NasException>(() => LookupTable.Load(path)).Message);
    }
}
