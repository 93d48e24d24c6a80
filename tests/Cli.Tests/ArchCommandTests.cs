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
    [InlineData("squeezenas-mac-huge", "unknown network 'squeezenas-mac-huge'")]
    [InlineData("small:k3_e1_g1,skip", "2 positions")]
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
