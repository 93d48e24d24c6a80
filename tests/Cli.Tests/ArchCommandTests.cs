using System.Text.Json;
using Nas.TestSupport;

namespace Nas.Cli.Tests;

public class ArchCommandTests
{
    [Fact]
    public void ShowJsonHasTheDocumentedFields()
    {
        (int code, string output, string error) = CliRunner.Run("arch", "show", "squeezenas-mac-small", "--json");
        Assert.Equal(0, code);
        Assert.Empty(error);
        using JsonDocument doc = JsonDocument.Parse(output);
        JsonElement root = doc.RootElement;
        Assert.Equal("squeezenas-mac-small", root.GetProperty("name").GetString());
        Assert.Equal("small", root.GetProperty("space").GetString());
        Assert.Equal(1024, root.GetProperty("input")[0].GetInt32());
        Assert.Equal(2048, root.GetProperty("input")[1].GetInt32());
        Assert.Equal(19, root.GetProperty("classes").GetInt32());
        Assert.Equal(3_007_512_576, root.GetProperty("macs").GetInt64());
        Assert.True(root.GetProperty("params").GetInt64() > 0);
        JsonElement block = root.GetProperty("blocks")[10];
        Assert.Equal(10, block.GetProperty("index").GetInt32());
        Assert.Equal("skip", block.GetProperty("op").GetString());
        Assert.Equal(0, block.GetProperty("macs").GetInt64());
        Assert.Equal(20, root.GetProperty("blocks").GetArrayLength());
    }

    [Fact]
    public void AWrittenLayerGraphIsANetworkLikeItsSource()
    {
        // arch graph writes the graph; the file then stands for the network: same MACs/params, and an edit shows.
        using var dir = new TempDirectory();
        string path = dir.Combine("net.json");
        (int code, _, string error) = CliRunner.Run("arch", "graph", "squeezenas-mac-small", "--classes", "5", "-o", path);
        Assert.True(code == 0, error);
        (code, string fromName, _) = CliRunner.Run("arch", "show", "squeezenas-mac-small", "--classes", "5", "--input", "64x128", "--json");
        Assert.Equal(0, code);
        (code, string fromFile, error) = CliRunner.Run("arch", "show", path, "--input", "64x128", "--json");
        Assert.True(code == 0, error);
        using JsonDocument a = JsonDocument.Parse(fromName), b = JsonDocument.Parse(fromFile);
        Assert.Equal(a.RootElement.GetProperty("macs").GetInt64(), b.RootElement.GetProperty("macs").GetInt64());
        Assert.Equal(a.RootElement.GetProperty("params").GetInt64(), b.RootElement.GetProperty("params").GetInt64());

        // A shape error in an edited graph names the node.
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"in_channels\": 16,", "\"in_channels\": 17,", StringComparison.Ordinal));
        (code, _, error) = CliRunner.Run("arch", "show", path, "--input", "64x128");
        Assert.Equal(1, code);
        Assert.Contains("17", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ListAndTableOutputWork()
    {
        (int code, string output, _) = CliRunner.Run("arch", "list");
        Assert.Equal(0, code);
        Assert.Contains("squeezenas-lat-xlarge", output);
        (code, output, _) = CliRunner.Run("arch", "show", "squeezenas-lat-large", "--input", "512x1024");
        Assert.Equal(0, code);
        Assert.Contains("total", output);
    }

    [Theory]
    [InlineData("enet", "64x96", "input: rgb/255, mean 0,0,0, std 1,1,1;")]
    [InlineData("enet", "64x96", "sizes: height and width multiples of 8 (three 2x downsamplings")]
    [InlineData("espnet-c", "61x93", "input: bgr/255, mean 0.28389")]
    [InlineData("espnet-c", "61x93", "sizes: any size")]
    [InlineData("unet-lite", "64x64", "sizes: height and width multiples of 16 (four 2x2/2 max-poolings")]
    public void Show_states_the_input_normalisation_and_the_size_rule(string arch, string input, string expected)
    {
        (int code, string output, string error) = CliRunner.Run("arch", "show", arch, "--input", input);
        Assert.True(code == 0, error);
        Assert.Contains(expected, output.ReplaceLineEndings(" "));
    }

    [Theory]
    [InlineData("squeezenas-mac-huge", "unknown network 'squeezenas-mac-huge'")]
    [InlineData("small:k3_e1_g1,skip", "has 2 of the 20 positions")]
    [InlineData("small:k3_e1_g1", "has 1 of the 20 positions")]
    [InlineData("small:k3_e1_g1,skip,skip,skip,skip,skip,skip,skip,skip,skip,skip,skip,skip,skip,skip,skip,skip,skip,skip,k9_e1_g1", "position 19")]
    public void BadArchitecturesGiveOneLineErrors(string arch, string expected)
    {
        (int code, string output, string error) = CliRunner.Run("arch", "show", arch);
        Assert.Equal(1, code);
        Assert.Contains(expected, error);
        Assert.StartsWith("error: ", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", error);
        _ = output;
    }

    [Theory]
    [InlineData("100000000x100000000", "each side must be between 1 and 32768")]
    [InlineData("32769x64", "each side must be between 1 and 32768")]
    [InlineData("64", "is not HxW")]
    public void HugeOrMalformedInputSizesAreNamed(string size, string expected)
    {
        (int code, _, string error) = CliRunner.Run("arch", "show", "squeezenas-mac-small", "--input", size);
        Assert.Equal(1, code);
        Assert.Contains($"--input '{size}'", error);
        Assert.Contains(expected, error);
        Assert.DoesNotContain("unexpected", error);
    }

    [Fact]
    public void CustomSpacesTakeAnyOddKernel()
    {
        using var dir = new TempDirectory();
        string space = dir.Combine("odd.json");
        File.WriteAllText(space, """
            {"name": "odd", "stem_channels": 8, "stages": [{"channels": 8, "repeats": 1, "stride": 2}, {"channels": 16, "repeats": 1, "stride": 2},
             {"channels": 16, "repeats": 1, "stride": 2}], "skip_block_index": 1, "head": "lr-aspp", "head_channels": 16,
             "candidates": ["k3_e1_g1", "k9_e3_g1", "skip"]}
            """);
        string genotype = dir.Combine("g.json");
        File.WriteAllText(genotype, "{\"space\": \"odd\", \"ops\": [\"k9_e3_g1\", \"k3_e1_g1\", \"k9_e3_g1\"], " +
            "\"space_definition\": " + File.ReadAllText(space) + "}");
        (int code, string output, string error) = CliRunner.Run("arch", "show", genotype, "--input", "64x128");
        Assert.True(code == 0, error);
        Assert.Contains("k9_e3_g1", output);

        File.WriteAllText(space, File.ReadAllText(space).Replace("k9_e3_g1", "k4_e3_g1", StringComparison.Ordinal));
        (code, _, error) = CliRunner.Run("arch", "sample", "--space", space, "--target", "1", "-o", dir.Combine("out"));
        Assert.Equal(1, code);
        Assert.Contains("'k4_e3_g1' is not a candidate op", error);
        Assert.Contains("odd kernel", error);
    }

    [Fact]
    public void SampleReadsTheTableUnitFromItsMetadataAndValidatesTheTolerance()
    {
        using var dir = new TempDirectory();

        // A MAC table at a path that says "latency": the unit comes from TABLE.meta.json, not from the name.
        string table = dir.Combine("latency-tables", "small-latency.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(table)!);
        Assert.Equal(0, CliRunner.Run("lut", "macs", "--input", "64x128", "-o", table).Code);
        (int code, _, string error) = CliRunner.Run("arch", "sample", "--table", table, "--target", "0.012", "--count", "2", "-o", dir.Combine("random"));
        Assert.True(code == 0, error);
        foreach (string f in Directory.GetFiles(dir.Combine("random"), "*.json"))
        {
            IReadOnlyDictionary<string, double> predicted = Nas.Core.Genotypes.GenotypeFile.Load(f).Predicted!;
            Assert.InRange(predicted["gmacs"], 0.012 * 0.95, 0.012 * 1.05);
            Assert.False(predicted.ContainsKey("latency_ms"));
        }

        // The reverse: the repository's latency table at a path that says "macs".
        string latency = dir.Combine("macs", "small-macs.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(latency)!);
        string committed = Path.Combine(SharedAssets.RepositoryRoot, "lookup-tables", "latency-small-256x512-ort-cpu-2t");
        File.Copy(committed + ".csv", latency);
        File.Copy(committed + ".meta.json", dir.Combine("macs", "small-macs.meta.json"));
        (code, _, error) = CliRunner.Run("arch", "sample", "--table", latency, "--target", "3", "--count", "2", "-o", dir.Combine("random-ms"));
        Assert.True(code == 0, error);
        foreach (string f in Directory.GetFiles(dir.Combine("random-ms"), "*.json"))
        {
            IReadOnlyDictionary<string, double> predicted = Nas.Core.Genotypes.GenotypeFile.Load(f).Predicted!;
            Assert.InRange(predicted["latency_ms"], 3 * 0.95, 3 * 1.05);
            Assert.True(predicted["gmacs"] > 0);
        }

        (code, _, error) = CliRunner.Run("arch", "sample", "--target", "0.3", "--tolerance", "-1", "-o", dir.Combine("bad"));
        Assert.Equal(1, code);
        Assert.Contains("--tolerance must be a fraction in (0, 1)", error);
        Assert.False(Directory.Exists(dir.Combine("bad")));
    }

    [Fact]
    public void MalformedFilesGiveOneLineErrors()
    {
        using var dir = new TempDirectory();
        string genotype = dir.Combine("g.json");
        File.WriteAllText(genotype, "{\"space\": \"small\", \"ops\": [\"k3_e1_g1\"], \"bogus\": 1}");
        (int code, _, string error) = CliRunner.Run("arch", "show", genotype);
        Assert.Equal(1, code);
        Assert.Contains("bogus", error);

        string space = dir.Combine("space.json");
        File.WriteAllText(space, "{\"name\": \"x\", \"stem_channels\": 16, \"stages\": []}");
        (code, _, error) = CliRunner.Run("arch", "sample", "--space", space, "--target", "1", "-o", dir.Combine("out"));
        Assert.Equal(1, code);
        Assert.Contains("space.json", error);
    }

    [Fact]
    public void SampleWritesGenotypesNearTheTarget()
    {
        using var dir = new TempDirectory();
        (int code, _, string error) = CliRunner.Run("arch", "sample", "--target", "0.3", "--count", "4", "--input", "256x512", "-o", dir.Path);
        Assert.True(code == 0, error);
        string[] files = Directory.GetFiles(dir.Path, "*.json");
        Assert.Equal(4, files.Length);
        foreach (string f in files)
        {
            double cost = Nas.Core.Genotypes.GenotypeFile.Load(f).Predicted!["gmacs"];
            Assert.InRange(cost, 0.3 * 0.95, 0.3 * 1.05);
        }
    }

    [Theory]
    [InlineData("unet-lite", "100x200", "multiples of 16")]
    [InlineData("fpn", "48x64", "multiples of 32")]
    public void An_input_size_a_network_cannot_take_names_its_rule(string arch, string input, string rule)
    {
        (int code, string output, string error) = CliRunner.Run("arch", "show", arch, "--input", input);
        Assert.Equal(1, code);
        Assert.StartsWith($"error: '{arch}' cannot take an input of {input}: it needs height and width {rule}", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", error);
        Assert.Empty(output.Trim());
    }
}
