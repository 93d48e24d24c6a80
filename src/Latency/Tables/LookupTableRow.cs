using CsvHelper;

namespace Nas.Latency.Tables;

/// <summary>One CSV row of a lookup table. Statistics columns are empty for analytic (MAC) tables.</summary>
[CsvRecord]
public sealed partial record LookupTableRow(
    [property: CsvColumn("key")] string Key,
    [property: CsvColumn("part")] string Part,
    [property: CsvColumn("position")] string Position,
    [property: CsvColumn("op")] string Op,
    [property: CsvColumn("in_shape")] string InShape,
    [property: CsvColumn("out_shape")] string OutShape,
    [property: CsvColumn("stride")] int Stride,
    [property: CsvColumn("cost")] double Cost,
    [property: CsvColumn("unit")] string Unit,
    [property: CsvColumn("median_ms")] string MedianMs,
    [property: CsvColumn("p10_ms")] string P10Ms,
    [property: CsvColumn("p90_ms")] string P90Ms,
    [property: CsvColumn("mean_ms")] string MeanMs,
    [property: CsvColumn("std_ms")] string StdMs,
    [property: CsvColumn("runs")] string Runs);
