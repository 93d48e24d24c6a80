using CsvHelper;

namespace Nas.OneShot.Search;

/// <summary>One row of an evolutionary search's <c>generations.csv</c>.</summary>
[CsvRecord]
public sealed partial record EvolveGenerationRow(
    [property: CsvColumn("generation")] int Generation,
    [property: CsvColumn("evaluations")] int Evaluations,
    [property: CsvColumn("best_miou")] double BestMiou,
    [property: CsvColumn("best_cost")] double BestCost,
    [property: CsvColumn("cost_unit")] string CostUnit,
    [property: CsvColumn("population_mean_miou")] double PopulationMeanMiou,
    [property: CsvColumn("front_size")] int FrontSize,
    [property: CsvColumn("best_genotype")] string BestGenotype);
