using CsvHelper;

namespace Nas.Latency.Fidelity;

/// <summary>One sampled network of a fidelity check.</summary>
[CsvRecord]
public sealed partial record FidelityRow(
    [property: CsvColumn("sample")] int Sample,
    [property: CsvColumn("genotype")] string Genotype,
    [property: CsvColumn("macs")] long Macs,
    [property: CsvColumn("predicted_ms")] double PredictedMs,
    [property: CsvColumn("predicted_raw_ms")] double PredictedRawMs,
    [property: CsvColumn("measured_ms")] double MeasuredMs,
    [property: CsvColumn("measured_p10_ms")] double MeasuredP10Ms,
    [property: CsvColumn("measured_p90_ms")] double MeasuredP90Ms,
    [property: CsvColumn("error_percent")] double ErrorPercent,
    [property: CsvColumn("rounds")] int Rounds,
    [property: CsvColumn("round_spread_percent")] double RoundSpreadPercent);
