using CsvHelper;

namespace Nas.OneShot.Training;

/// <summary>One row of a supernet run's <c>metrics.csv</c>: mean losses of the step's paths (sandwich: also the largest and smallest network's).</summary>
[CsvRecord]
public sealed partial record SupernetEpochRow(
    [property: CsvColumn("epoch")] int Epoch,
    [property: CsvColumn("lr")] double Lr,
    [property: CsvColumn("loss")] double Loss,
    [property: CsvColumn("largest_loss")] double LargestLoss,
    [property: CsvColumn("smallest_loss")] double SmallestLoss,
    [property: CsvColumn("paths_per_step")] int PathsPerStep,
    [property: CsvColumn("steps")] long Steps,
    [property: CsvColumn("seconds")] double Seconds);
