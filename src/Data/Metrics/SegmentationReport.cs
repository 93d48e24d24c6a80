namespace Nas.Data.Metrics;

/// <summary>
/// The evaluation report (also the <c>--json</c> output): fractions in [0, 1]. <c>class_iou</c> is null for a class
/// absent from both ground truth and prediction; the means skip those. Cityscapes adds the 7 category IoUs.
/// </summary>
public sealed record SegmentationReport
{
    public required double Miou { get; init; }

    public required double PixelAccuracy { get; init; }

    public required IReadOnlyDictionary<string, double?> ClassIou { get; init; }

    public double? CategoryMiou { get; init; }

    public IReadOnlyDictionary<string, double?>? CategoryIou { get; init; }

    public required long Pixels { get; init; }

    public int Images { get; init; }

    public string? Dataset { get; init; }

    public string? Split { get; init; }
}
