using Nas.Core.Genotypes;

namespace Nas.Search;

/// <summary>The outcome of a search: the derived genotype, its table cost, and the final probabilities (positions × candidates).</summary>
public sealed record SearchResult(NamedGenotype Genotype, double Cost, string CostUnit, double[,] Probabilities);
