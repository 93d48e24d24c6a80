using Nas.Core.SearchSpaces;

namespace Nas.Latency.Kits;

/// <summary><c>manifest.json</c> of a device kit: the space, input size and class count, and one ONNX file per unique entry.</summary>
public sealed record KitManifest
{
    public const string FileName = "manifest.json";

    public required string Space { get; init; }

    public required string SpaceCanonical { get; init; }

    public SearchSpaceDefinition? SpaceDefinition { get; init; }

    public required string Input { get; init; }

    public required int Classes { get; init; }

    /// <summary>fp32, fp16 or int8: the precision of the entry models (absent: fp32).</summary>
    public string? Precision { get; init; }

    public required string CreatedUtc { get; init; }

    public required string ToolVersion { get; init; }

    public required IReadOnlyList<KitEntry> Entries { get; init; }
}
