using CsvHelper;

namespace Nas.Search.Runs;

/// <summary>One row of <c>probabilities.csv</c>: the softmax of a position's logits at the end of an epoch.</summary>
[CsvRecord]
public sealed partial record PositionProbabilityRow(
    [property: CsvColumn("epoch")] int Epoch,
    [property: CsvColumn("position")] int Position,
    [property: CsvColumn("op")] string Op,
    [property: CsvColumn("probability")] double Probability,
    [property: CsvColumn("position_entropy")] double PositionEntropy);
