namespace Nas.Core.Genotypes;

/// <summary>
/// The JSON form of a genotype (<c>genotype.json</c>). <c>space</c> is a built-in space name; a custom space
/// is embedded in <c>space_definition</c> so the file stands alone.
/// </summary>
/// <example>
/// <code>
/// { "name": "searched-small", "space": "small", "ops": [ "k3_e1_g2", "skip", ... ],
///   "classes": 19, "predicted": { "macs": 3007512576, "latency_ms": 12.3 }, "source": "nas search run-1" }
/// </code>
/// </example>
public sealed record GenotypeDocument
{
    public string? Name { get; init; }

    public required string Space { get; init; }

    public SearchSpaces.SearchSpaceDefinition? SpaceDefinition { get; init; }

    public required IReadOnlyList<string> Ops { get; init; }

    /// <summary>Number of output classes the network is built with (default 19).</summary>
    public int? Classes { get; init; }

    /// <summary>Canonical genotype text, written for readers; checked against the ops when present.</summary>
    public string? Canonical { get; init; }

    /// <summary>Predicted costs by name (e.g. <c>macs</c>, <c>latency_ms</c>), as written by the search.</summary>
    public IReadOnlyDictionary<string, double>? Predicted { get; init; }

    /// <summary>Free text: where the genotype came from.</summary>
    public string? Source { get; init; }
}
