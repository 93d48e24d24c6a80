using Nas.Core.Genotypes;
using Nas.Core.SearchSpaces;

namespace Nas.Supernet.Checkpoints;

/// <summary>
/// <c>meta.json</c> of a Nas checkpoint: what network the weights belong to and where they came from.
/// A <c>network</c> checkpoint carries its genotype; a <c>supernet</c> checkpoint its space.
/// </summary>
public sealed record CheckpointMetadata
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;

    /// <summary><c>network</c> or <c>supernet</c>.</summary>
    public required string Kind { get; init; }

    public GenotypeDocument? Genotype { get; init; }

    public SearchSpaceDefinition? Space { get; init; }

    public required int Classes { get; init; }

    /// <summary>Class names, when the weights were trained on a known dataset.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>Display colour of each class (RGB), for colourised predictions.</summary>
    public IReadOnlyList<IReadOnlyList<int>>? Palette { get; init; }

    /// <summary>The dataset the weights were trained on (e.g. <c>cityscapes</c>, <c>railsem19</c>), when known.</summary>
    public string? Dataset { get; init; }

    public string? CreatedUtc { get; init; }

    public string? ToolVersion { get; init; }

    /// <summary>Free text: where the weights came from (e.g. "imported from mac_small.pth").</summary>
    public string? Source { get; init; }

    /// <summary>Training state: epochs completed (0 for imported or untrained weights).</summary>
    public int Epoch { get; init; }

    /// <summary>Small named values (best mIoU, ...).</summary>
    public IReadOnlyDictionary<string, double>? Metrics { get; init; }
}
