using Nas.Core.Genotypes;

namespace Nas.OneShot.Search;

/// <summary>A network the evolutionary search returns: its genotype (with predicted costs), inherited-weight scores and cost under every table.</summary>
public sealed record EvolvedNetwork(NamedGenotype Genotype, double Miou, double PixelAccuracy, IReadOnlyList<double> Costs);
