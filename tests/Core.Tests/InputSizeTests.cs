using System.Text.Json.Nodes;
using Nas.Core.IO;
using Nas.Core.SearchSpaces;

namespace Nas.Core.Tests;

public class InputSizeTests
{
    [Fact]
    public void SerialisesAsHeightAndWidthOnly()
    {
        // Run folders compare config.json key by key on --resume: a new computed key would refuse every older run.
        JsonObject json = JsonNode.Parse(NasJson.Serialize(new InputSize(64, 128)))!.AsObject();
        Assert.Equal(["height", "width"], json.Select(kv => kv.Key).Order(StringComparer.Ordinal));
        Assert.Equal(new InputSize(64, 128), NasJson.Deserialize<InputSize>("{\"height\": 64, \"width\": 128}", "size.json"));
    }

    [Theory]
    [InlineData("100000000x100000000", "--input '100000000x100000000': each side must be between 1 and 32768 pixels")]
    [InlineData("0x5", "--input '0x5': each side must be between 1 and 32768 pixels")]
    [InlineData("64", "--input '64' is not HxW with positive integers (e.g. 256x512)")]
    public void OutOfRangeAndMalformedSizesAreNamed(string text, string expected) =>
        Assert.Equal(expected, Assert.Throws<NasException>(() => InputSize.Parse(text, "--input")).Message);
}
