using Nas.Core;
using Nas.Data.Datasets;
using Nas.Data.Metrics;
using Nas.TestSupport;

namespace Nas.Data.Tests;

public class MetricsTests
{
    [Fact]
    public void IouAndAccuracyMatchAHandComputedMatrix()
    {
        var m = new ConfusionMatrix(3);
        // truth: 0 0 0 1 1 2 255 ; prediction: 0 0 1 1 2 2 0
        m.Add(new byte[] { 0, 0, 1, 1, 2, 2, 0 }, new byte[] { 0, 0, 0, 1, 1, 2, 255 });
        Assert.Equal(2.0 / 3, SegmentationMetrics.Iou(m, 0)!.Value, 12); // tp 2, fn 1, fp 0
        Assert.Equal(1.0 / 3, SegmentationMetrics.Iou(m, 1)!.Value, 12); // tp 1, fn 1, fp 1
        Assert.Equal(1.0 / 2, SegmentationMetrics.Iou(m, 2)!.Value, 12); // tp 1, fn 0, fp 1
        Assert.Equal(4.0 / 6, SegmentationMetrics.PixelAccuracy(m), 12);
        SegmentationReport r = SegmentationMetrics.Report(m, ["a", "b", "c"]);
        Assert.Equal(((2.0 / 3) + (1.0 / 3) + 0.5) / 3, r.Miou, 12);
    }

    [Fact]
    public void AbsentClassesAreNullAndNonClassPredictionsAreMisses()
    {
        var m = new ConfusionMatrix(3);
        m.Add(new byte[] { 0, 200, 0 }, new byte[] { 0, 0, 255 });
        Assert.Equal(0.5, SegmentationMetrics.Iou(m, 0)!.Value, 12); // the 200 prediction is a miss
        Assert.Null(SegmentationMetrics.Iou(m, 1));
        SegmentationReport r = SegmentationMetrics.Report(m, ["a", "b", "c"]);
        Assert.Null(r.ClassIou["c"]);
        Assert.Equal(0.5, r.Miou, 12);
    }

    [Fact]
    public void CityscapesCategoriesMergeClassesOfACategory()
    {
        var m = new ConfusionMatrix(19);
        // road (0) predicted as sidewalk (1): wrong class, right category (flat).
        m.Add(Enumerable.Repeat((byte)1, 10).ToArray(), Enumerable.Repeat((byte)0, 10).ToArray());
        // car (13) predicted as person (11): wrong category.
        m.Add(Enumerable.Repeat((byte)11, 5).ToArray(), Enumerable.Repeat((byte)13, 5).ToArray());
        SegmentationReport r = SegmentationMetrics.Report(m, CityscapesLabels.Info.ClassNames, cityscapesCategories: true);
        Assert.Equal(0.0, r.ClassIou["road"]);
        Assert.Equal(1.0, r.CategoryIou!["flat"]);
        Assert.Equal(0.0, r.CategoryIou["vehicle"]);
        Assert.Equal(0.0, r.CategoryIou["human"]);
        Assert.Null(r.CategoryIou["sky"]);
        Assert.Equal(1.0 / 3, r.CategoryMiou!.Value, 12);
    }

    [Fact]
    public void PredictionsAreMatchedByFramePrefixAnywhereInTheName()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.Combine("pred_aachen_000000_000019_leftImg8bit.png"), []);
        File.WriteAllBytes(dir.Combine("frankfurt_000001_000020.png"), []);
        IReadOnlyDictionary<string, string> m = CityscapesPredictionMatcher.Match(dir.Path, ["aachen_000000_000019", "frankfurt_000001_000020"]);
        Assert.EndsWith("pred_aachen_000000_000019_leftImg8bit.png", m["aachen_000000_000019"]);
        Assert.Contains("ulm_000000_000001", Assert.Throws<NasException>(() => CityscapesPredictionMatcher.Match(dir.Path, ["ulm_000000_000001"])).Message);
        Assert.Equal("aachen_000000_000019", CityscapesPredictionMatcher.KeyOf("aachen_000000_000019_gtFine_labelIds.png"));
    }
}
