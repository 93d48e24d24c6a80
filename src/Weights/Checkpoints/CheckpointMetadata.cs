using Nas.Core.Genotypes;
using Nas.Core.SearchSpaces;

namespace Nas.Weights.Checkpoints;

/// <summary>
/// <c>meta.json</c> of a Nas checkpoint: what network the weights belong to and where they came from.
/// A <c>network</c> checkpoint carries its <see cref="Architecture"/> (format 1 files carry only a SqueezeNAS
/// <see cref="Genotype"/>, which is still read); a <c>supernet</c> checkpoint its <see cref="Space"/>.
/// </summary>
public sealed record CheckpointMetadata
{
    public const int CurrentFormat = 2;

    public int Format { get; init; } = CurrentFormat;

    /// <summary><c>network</c> or <c>supernet</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The network (genotype, registered model with options, or embedded graph).</summary>
    public ArchitectureReference? Architecture { get; init; }

    /// <summary>The SqueezeNAS genotype (written for genotype networks so format-1 readers and people can see it).</summary>
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
