using CsvHelper;

namespace Nas.Retrain.Training;

/// <summary>One row of a training run's <c>metrics.csv</c>.</summary>
[CsvRecord]
public sealed partial record TrainEpochRow(
    [property: CsvColumn("epoch")] int Epoch,
    [property: CsvColumn("lr")] double Lr,
    [property: CsvColumn("train_loss")] double TrainLoss,
    [property: CsvColumn("val_loss")] double ValLoss,
    [property: CsvColumn("val_miou")] double ValMiou,
    [property: CsvColumn("val_pixel_accuracy")] double ValPixelAccuracy,
    [property: CsvColumn("encoder_frozen")] bool EncoderFrozen,
    [property: CsvColumn("seconds")] double Seconds);
