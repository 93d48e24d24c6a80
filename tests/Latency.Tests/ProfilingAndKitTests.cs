using Nas.Core.Genotypes;
using Nas.Core.SearchSpaces;
using Nas.Latency.Fidelity;
using Nas.Latency.Kits;
using Nas.Latency.Profiling;
using Nas.Latency.Tables;
using Nas.Onnx.Runtime;
using Nas.TestSupport;

namespace Nas.Latency.Tests;

public class ProfilingAndKitTests
{
    private static readonly InputSize s_input = new(64, 128);
    private static readonly ProfileSettings s_fast = new(Threads: 2, Warmup: 1, Runs: 3);

    [Fact]
    public void FidelityJsonKeepsItsPerNetworkRows()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("tiny.csv");
        new LutProfiler().Profile(TinySpace.Create(), s_input, 5, "ort", new OrtOptions(), s_fast, path);
        FidelityReport report = FidelityCheck.Run(path, samples: 3, seed: 1, dir.Combine("check"));
        Assert.Equal(3, report.Networks.Count);

        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(dir.Combine("check", "fidelity.json")));
        System.Text.Json.JsonElement networks = json.RootElement.GetProperty("networks");
        Assert.Equal(3, networks.GetArrayLength());
        Assert.Equal(report.Networks[0].Genotype, networks[0].GetProperty("genotype").GetString());
        Assert.True(networks[0].GetProperty("measured_ms").GetDouble() > 0);
    }

    [Fact]
    public void ProfiledTablesAreCompleteAndResumeKeepingMeasuredRows()
    {
        using var dir = new TempDirectory();
        SearchSpace space = TinySpace.Create();
        string path = dir.Combine("tiny.csv");
        LookupTable full = new LutProfiler().Profile(space, s_input, 5, "ort", new OrtOptions(), s_fast, path);
        LookupTable loaded = LookupTable.Load(path, space, s_input);
        Assert.Equal(full.Rows.Count, loaded.Rows.Count);
        Assert.All(loaded.Rows, r => Assert.True(r.Cost > 0));
        Assert.All(loaded.Rows, r => Assert.Equal("3", r.Runs));

        // Interrupt: keep the first half of the rows, rerun, and the kept measurements are unchanged.
        string[] lines = File.ReadAllLines(path);
        File.WriteAllLines(path, lines.Take((lines.Length / 2) + 1));
        Dictionary<string, double> kept = ReadCosts(path);
        LookupTable resumed = new LutProfiler().Profile(space, s_input, 5, "ort", new OrtOptions(), s_fast, path);
        Assert.Equal(full.Rows.Count, resumed.Rows.Count);
        foreach ((string key, double cost) in kept)
        {
            Assert.Equal(cost, resumed.CostOf(key));
        }
    }

    [Fact]
    public void KitsRunWithOnnxRuntimeOnlyAndResume()
    {
        using var dir = new TempDirectory();
        SearchSpace space = TinySpace.Create();
        KitManifest manifest = KitBuilder.Build(space, s_input, 5, dir.Combine("kit"));
        Assert.True(File.Exists(dir.Combine("kit", KitManifest.FileName)));
        Assert.All(manifest.Entries, e => Assert.True(File.Exists(dir.Combine("kit", e.File))));
        string table = dir.Combine("kit.csv");
        LookupTable measured = KitRunner.Run(dir.Combine("kit"), new OrtOptions(), s_fast, table);
        Assert.Equal(manifest.Entries.Count, measured.Rows.Count);
        LookupTable loaded = LookupTable.Load(table, space, s_input);
        Genotype g = Genotype.FromIndices(space, [0, 1, 2, 3]);
        Assert.True(loaded.Predict(g) > 0);

        string[] lines = File.ReadAllLines(table);
        File.WriteAllLines(table, lines.Take(3));
        Dictionary<string, double> kept = ReadCosts(table);
        LookupTable resumed = KitRunner.Run(dir.Combine("kit"), new OrtOptions(), s_fast, table);
        foreach ((string key, double cost) in kept)
        {
            Assert.Equal(cost, resumed.CostOf(key));
        }
    }

    [Fact]
    public void GpuProvidersFailClearlyOnACpuBuild()
    {
        Nas.Core.NasException e = Assert.Throws<Nas.Core.NasException>(() =>
            OrtProfiler.Profile(RunOverhead.EmptyModel(), new OrtOptions { Provider = ExecutionProvider.Cuda }, s_fast));
        Assert.Contains("NasOrtGpu", e.Message);
    }

    [Fact]
    public void FidelityStatisticsHaveKnownAnswers()
    {
        double[] predicted = [1, 2, 3, 4, 5];
        double[] measured = [2.1, 4.1, 6.1, 8.1, 10.1]; // measured = 2·predicted + 0.1
        FidelityStats s = FidelityStats.Compute(predicted, measured);
        Assert.Equal(1.0, s.Pearson, 9);
        Assert.Equal(1.0, s.Spearman, 9);
        Assert.Equal(2.0, s.Slope, 9);
        Assert.Equal(0.1, s.Intercept, 9);
        Assert.Equal(0.0, s.CorrectedMape, 6);
        Assert.Equal(0.0, s.Within10Percent);
        FidelityStats exact = FidelityStats.Compute([1, 2, 3], [1.05, 1.9, 3]);
        Assert.Equal(1.0, exact.Within10Percent);
        Assert.InRange(exact.Mape, 3.3, 3.4);
    }

    private static Dictionary<string, double> ReadCosts(string csv)
    {
        using var reader = CsvHelper.CsvReader.FromFile(csv, new CsvHelper.CsvReaderOptions(), FileOptions.SequentialScan);
        return reader.GetRecords<LookupTableRow>().ToDictionary(r => r.Key, r => r.Cost);
    }
}
