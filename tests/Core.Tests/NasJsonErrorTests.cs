using Nas.Core.IO;
using Nas.Core.SearchSpaces;

namespace Nas.Core.Tests;

public class NasJsonErrorTests
{
    [Theory]
    [InlineData("{\"outer\": {\"count\": \"x\"}}", "'outer.count' must be an integer (got \"x\")")]
    [InlineData("{\"outer\": {\"count\": 1.5}}", "'outer.count' must be an integer (got 1.5)")]
    [InlineData("{\"maybe\": \"many\"}", "'maybe' must be an integer (got \"many\")")]
    [InlineData("{\"ratio\": true}", "'ratio' must be a number (got true)")]
    [InlineData("{\"head\": \"fancy\"}", "'head' must be one of lr-aspp, aspp-decoder (got \"fancy\")")]
    [InlineData("{\"names\": [1]}", "'names.0' must be a string (got 1)")]
    [InlineData("[1, 2]", "the document must be a JSON object (got a list)")]
    [InlineData("{\"outer\": {\"count\": 1, \"bogus\": 2}}", "unknown key 'bogus' in 'outer' (allowed: count)")]
    [InlineData("{\"bogus\": 2}", "unknown key 'bogus' (allowed: outer, maybe, ratio, head, names, name)")]
    public void ValueErrorsNameTheKeyInUserWords(string json, string expected)
    {
        NasException e = Assert.Throws<NasException>(() => NasJson.Deserialize<Sample>(json, "cfg.json"));
        Assert.Equal($"cfg.json: {expected}", e.Message);
        Assert.DoesNotContain("System.", e.Message);
        Assert.DoesNotContain("Nas.", e.Message);
    }

    [Theory]
    [InlineData("{\"outer\": {\"count\": 3", 1, 22)]
    [InlineData("{\n  \"outer\": {\n    \"count\": 3,\n", 4, 1)]
    [InlineData("{\"outer\": {\"cou", 1, 16)]
    public void TruncatedDocumentsSayTruncatedWithLineAndPosition(string json, int line, int position)
    {
        NasException e = Assert.Throws<NasException>(() => NasJson.Deserialize<Sample>(json, "cfg.json"));
        Assert.StartsWith($"cfg.json: the JSON ends early at line {line}, position {position} (the file looks truncated)", e.Message);
        Assert.DoesNotContain("could not be mapped", e.Message);
    }

    [Fact]
    public void SyntaxErrorsInTheMiddleNameLineAndPosition()
    {
        NasException e = Assert.Throws<NasException>(() => NasJson.Deserialize<Sample>("{\n  \"maybe\": 1 2,\n  \"ratio\": 1\n}", "cfg.json"));
        Assert.StartsWith("cfg.json: invalid JSON at line 2, position ", e.Message);
        Assert.Contains("empty", Assert.Throws<NasException>(() => NasJson.Deserialize<Sample>("  \n", "cfg.json")).Message);
    }

    [Fact]
    public void MissingRequiredKeysAreListed()
    {
        NasException e = Assert.Throws<NasException>(() => NasJson.Deserialize<SearchSpaceDefinition>("{\"name\": \"x\"}", "space.json"));
        Assert.StartsWith("space.json: missing required keys 'stem_channels', 'stages'", e.Message);
        Assert.DoesNotContain("Nas.", e.Message);
    }

    [Theory]
    [InlineData("Cannot parse argument 'abc' for option '--epochs' as expected type 'System.Nullable`1[System.Int32]'.", "Cannot parse argument 'abc' for option '--epochs': expected an integer.")]
    [InlineData("Cannot parse argument 'x' for option '--lr' as expected type 'System.Double'.", "Cannot parse argument 'x' for option '--lr': expected a number.")]
    [InlineData("could not be converted to Nas.Core.SearchSpaces.HeadKind.", "could not be converted to one of lr-aspp, aspp-decoder.")]
    public void TypeNamesBecomeWords(string message, string expected) => Assert.Equal(expected, UserWords.ReplaceTypeNames(message));

    public sealed record Inner
    {
        public int Count { get; init; }
    }

    public sealed record Sample
    {
        public Inner Outer { get; init; } = new();

        public int? Maybe { get; init; }

        public double Ratio { get; init; }

        public HeadKind Head { get; init; }

        public IReadOnlyList<string> Names { get; init; } = [];

        public string Name { get; init; } = string.Empty;
    }
}
