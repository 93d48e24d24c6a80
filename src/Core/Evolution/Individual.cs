using System.Text.Json.Serialization;

namespace Nas.Core.Evolution;

/// <summary>
/// An evaluated genotype: candidate indices, accuracy (mIoU with inherited weights), its cost under every constraint
/// and the generation that produced it (0 = the initial population).
/// </summary>
public sealed record Individual(IReadOnlyList<int> Ops, double Accuracy, IReadOnlyList<double> Costs, int Generation)
{
    [JsonIgnore]
    public string Key => GenotypeOperators.Key(Ops);

    /// <summary>The objective vector (all minimised) for <paramref name="objectives"/>.</summary>
    public IReadOnlyList<double> Objectives(EvolutionObjectives objectives) =>
        objectives == EvolutionObjectives.Miou ? [-Score] : [-Score, Costs.Count > 0 ? Costs[0] : 0];

    /// <summary>Accuracy with NaN (no class present in the evaluation) ranked below every mIoU in [0, 1].</summary>
    private double Score => double.IsNaN(Accuracy) ? -1 : Accuracy;
}
