using CsvHelper;

namespace Nas.Search.Runs;

/// <summary>One row of a search run's <c>metrics.csv</c>.</summary>
[CsvRecord]
public sealed partial record SearchEpochRow(
    [property: CsvColumn("epoch")] int Epoch,
    [property: CsvColumn("temperature")] double Temperature,
    [property: CsvColumn("weight_lr")] double WeightLr,
    [property: CsvColumn("weight_loss")] double WeightLoss,
    [property: CsvColumn("arch_loss")] double ArchLoss,
    [property: CsvColumn("arch_ce")] double ArchCe,
    [property: CsvColumn("arch_pixel_accuracy")] double ArchPixelAccuracy,
    [property: CsvColumn("expected_cost")] double ExpectedCost,
    [property: CsvColumn("argmax_cost")] double ArgmaxCost,
    [property: CsvColumn("cost_unit")] string CostUnit,
    [property: CsvColumn("mean_entropy")] double MeanEntropy,
    [property: CsvColumn("argmax_genotype")] string ArgmaxGenotype,
    [property: CsvColumn("seconds")] double Seconds);
