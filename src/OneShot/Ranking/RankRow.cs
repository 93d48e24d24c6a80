using CsvHelper;

namespace Nas.OneShot.Ranking;

/// <summary>One network of a ranking check (<c>rank.csv</c>).</summary>
[CsvRecord]
public sealed partial record RankRow(
    [property: CsvColumn("name")] string Name,
    [property: CsvColumn("cost")] double Cost,
    [property: CsvColumn("cost_unit")] string CostUnit,
    [property: CsvColumn("inherited_miou")] double InheritedMiou,
    [property: CsvColumn("standalone_miou")] double StandaloneMiou,
    [property: CsvColumn("genotype")] string Genotype);
