namespace Nas.Core.Genotypes;

/// <summary>A genotype with a name and the class count its network is built with.</summary>
public sealed record NamedGenotype(string Name, Genotype Genotype, int Classes)
{
    public IReadOnlyDictionary<string, double>? Predicted { get; init; }

    public string? Source { get; init; }
}
