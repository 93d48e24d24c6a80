using Nas.Core;
using Nas.Core.Costs;
using Nas.Core.SearchSpaces;
using Nas.Deploy;
using Nas.Latency.Fidelity;
using Nas.Latency.Kits;
using Nas.Latency.Profiling;
using Nas.Latency.Tables;
using Nas.Onnx.Graphs;
using Nas.Onnx.Protos;
using Nas.Onnx.Runtime;
using Nas.TestSupport;

namespace Nas.Latency.Tests;

/// <summary>Lookup tables at deployment precision: INT8/FP16 entries, kits and the fidelity check of an INT8 table.</summary>
public class PrecisionTableTests
{
    private static readonly InputSize s_input = new(64, 128);
    private static readonly ProfileSettings s_fast = new(Threads: 1, Warmup: 1, Runs: 2);

    [Fact]
    public void Int8TablesRecordTheirPrecisionAndAreCheckedWithQuantisedNetworks()
    {
        using var dir = new TempDirectory();
        SearchSpace space = TinySpace.Create();
        string path = dir.Combine("int8.csv");
        LookupTable table = new LutProfiler().Profile(space, s_input, 5, "ort", new OrtOptions(), s_fast, path, precision: Precision.Int8);
        Assert.Equal("int8", LookupTable.Load(path, space, s_input).Metadata.Precision);
        Assert.All(table.Rows, r => Assert.True(r.Cost > 0));

        // The same output at another precision is another table: refused, not mixed.
        var e = Assert.Throws<NasException>(() => new LutProfiler().Profile(space, s_input, 5, "ort", new OrtOptions(), s_fast, path));
        Assert.Contains("int8", e.Message);

        FidelityReport report = FidelityCheck.Run(path, 3, 0, dir.Combine("check"));
        Assert.Equal(3, report.Networks.Count);
        Assert.All(report.Networks, n => Assert.True(n.MeasuredMs > 0));
    }

    [Fact]
    public void Int8AndFp16KitsHoldConvertedEntriesAndRunKitRecordsThePrecision()
    {
        using var dir = new TempDirectory();
        SearchSpace space = TinySpace.Create();
        KitManifest int8 = KitBuilder.Build(space, s_input, 5, dir.Combine("kit8"), precision: Precision.Int8);
        Assert.Equal("int8", int8.Precision);
        ModelProto block = OnnxModelFile.Load(dir.Combine("kit8", int8.Entries.First(en => en.Part == "block" && en.Op == "k3_e3_g1").File));
        Assert.Contains(block.Graph.Node, n => n.OpType == "QuantizeLinear");
        Assert.Equal("int8", OnnxModelFile.Metadata(block)["precision"]);
        LookupTable measured = KitRunner.Run(dir.Combine("kit8"), new OrtOptions(), s_fast, dir.Combine("kit8.csv"));
        Assert.Equal("int8", measured.Metadata.Precision);

        KitManifest fp16 = KitBuilder.Build(space, s_input, 5, dir.Combine("kit16"), precision: Precision.Fp16);
        ModelProto head = OnnxModelFile.Load(dir.Combine("kit16", fp16.Entries.Single(en => en.Part == "head").File));
        Assert.Contains(head.Graph.Initializer, t => t.DataType == (int)TensorProto.Types.DataType.Float16);
        Assert.Equal("fp16", KitRunner.Run(dir.Combine("kit16"), new OrtOptions(), s_fast, dir.Combine("kit16.csv")).Metadata.Precision);
    }

    [Fact]
    public void ComparingTablesFindsRatiosAndRankingChanges()
    {
        using var dir = new TempDirectory();
        SearchSpace space = TinySpace.Create();
        LookupTable a = AnalyticTableBuilder.Build(CostMetrics.Macs, space, s_input, 5);
        var metaA = a.Metadata with { Unit = "ms", Runtime = "ort", RunOverheadMs = 0 };
        var rowsA = a.Rows.Select(r => r with { Cost = 1 + (r.Cost / 1e6), Unit = "ms" }).ToArray();
        // B: every entry twice as slow except the k5_e1_g2 blocks, which become the slowest at every position.
        var rowsB = rowsA.Select(r => r with { Cost = r.Op == "k5_e1_g2" ? 1000 : r.Cost * 2 }).ToArray();
        new LookupTable(metaA, rowsA).Save(dir.Combine("a.csv"));
        new LookupTable(metaA, rowsB).Save(dir.Combine("b.csv"));
        TableComparison.Result r = TableComparison.Compare(dir.Combine("a.csv"), dir.Combine("b.csv"));
        Assert.Equal(2.0, r.Ops.Single(o => o.Op == "k3_e3_g1").MedianRatio, 9);
        Assert.True(r.Ops.Single(o => o.Op == "k5_e1_g2").MedianRatio > 100);
        Assert.Equal(space.PositionCount, r.Positions.Count(p => p.SlowestB == "k5_e1_g2"));
        Assert.True(r.MeanSpearman < 1);
        Assert.Equal(1.0, TableComparison.Compare(dir.Combine("a.csv"), dir.Combine("a.csv")).MeanSpearman, 9);
    }

    [Fact]
    public void AnUnwritableTensorRtCacheIsAOneLineError()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("file"), "x");
        var e = Assert.Throws<NasException>(() => OrtSessionFactory.CheckCacheFolder(dir.Combine("file", "cache")));
        Assert.Contains("not writable", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        OrtSessionFactory.CheckCacheFolder(dir.Combine("ok"));
        Assert.Empty(Directory.GetFiles(dir.Combine("ok")));
    }
}
