namespace Nas.Core.SearchSpaces;

/// <summary>The JSON form of a search space (a custom space file uses exactly this schema).</summary>
/// <example>
/// <code>
/// { "name": "small", "stem_channels": 16,
///   "stages": [ { "channels": 16, "repeats": 4, "stride": 2 }, ... ],
///   "last_conv_channels": 256, "skip_block_index": 7, "head": "lr-aspp", "head_channels": 128,
///   "candidates": [ "k3_e1_g1", ..., "skip" ] }
/// </code>
/// </example>
public sealed record SearchSpaceDefinition
{
    public required string Name { get; init; }

    public required int StemChannels { get; init; }

    public required IReadOnlyList<StageSpec> Stages { get; init; }

    public int? LastConvChannels { get; init; }

    public required int SkipBlockIndex { get; init; }

    public required HeadKind Head { get; init; }

    public required int HeadChannels { get; init; }

    /// <summary>Candidate op names; omitted = the 13 SqueezeNAS candidates.</summary>
    public IReadOnlyList<string>? Candidates { get; init; }
}
