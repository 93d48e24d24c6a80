using Nas.Core.Graphs;

namespace Nas.Core.Genotypes;

/// <summary>
/// What network a checkpoint or file holds, in a form that rebuilds it: a SqueezeNAS genotype (<c>kind: genotype</c>),
/// a registered model with its options (<c>kind: model</c>), or an embedded layer graph (<c>kind: graph</c>).
/// </summary>
public sealed record ArchitectureReference
{
    public const string GenotypeKind = "genotype";
    public const string ModelKind = "model";
    public const string GraphKind = "graph";

    public required string Kind { get; init; }

    public GenotypeDocument? Genotype { get; init; }

    /// <summary>Registry name of the model (<c>lraspp-mobilenet-v3-large</c>).</summary>
    public string? Model { get; init; }

    /// <summary>Model options (<c>p</c>, <c>q</c>, <c>aux</c>, ...), as given.</summary>
    public IReadOnlyDictionary<string, string>? Options { get; init; }

    public LayerGraph? Graph { get; init; }

    public static ArchitectureReference ForGenotype(NamedGenotype genotype) => new() { Kind = GenotypeKind, Genotype = GenotypeFile.ToDocument(genotype) };

    public static ArchitectureReference ForModel(string model, IReadOnlyDictionary<string, string>? options = null) =>
        new() { Kind = ModelKind, Model = model, Options = options is { Count: > 0 } ? options : null };

    public static ArchitectureReference ForGraph(LayerGraph graph) => new() { Kind = GraphKind, Graph = graph };

    public override string ToString() => Kind switch
    {
        GenotypeKind => $"genotype {Genotype?.Canonical ?? Genotype?.Name}",
        ModelKind => Options is { Count: > 0 } o ? $"{Model} ({string.Join(", ", o.Select(kv => $"{kv.Key}={kv.Value}"))})" : Model ?? "?",
        _ => $"graph {Graph?.Name}",
    };
}
