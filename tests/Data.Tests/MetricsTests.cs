using System.Text.Json;
using Nas.Core;
using Nas.Core.IO;
using Nas.Data.Datasets;
using Nas.Data.Images;
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

    [Fact]
    public void CityscapesCategoryRulesFollowTheOfficialScript()
    {
        var m = new ConfusionMatrix(19);
        byte[] truth = [0, 0, 0, 0, 255, 255, 11, 12, 10, 10];
        // road→sidewalk (same category: TP for flat), road→miss (FN), road→road, road→car (FN flat, FP vehicle);
        // ignored ground truth predicted as road or car: not counted at all; person→rider (human TP);
        // rider→miss; sky→sky twice.
        byte[] pred = [1, 200, 0, 13, 0, 13, 12, 255, 10, 10];
        m.Add(pred, truth);
        SegmentationReport r = SegmentationMetrics.Report(m, CityscapesLabels.Info.ClassNames, cityscapesCategories: true);
        IReadOnlyDictionary<string, double?> cat = r.CategoryIou!;
        Assert.Equal(2.0 / 4, cat["flat"]!.Value, 12);   // tp 2 (road, sidewalk predictions), fn 2, fp 0
        Assert.Equal(0.0, cat["vehicle"]!.Value, 12);     // tp 0, fp 1 (the road pixel), the ignored pixel not counted
        Assert.Equal(1.0 / 2, cat["human"]!.Value, 12);   // tp 1, fn 1 (the missed rider)
        Assert.Equal(1.0, cat["sky"]!.Value, 12);
        Assert.Null(cat["object"]);
        Assert.Equal((0.5 + 0 + 0.5 + 1) / 4, r.CategoryMiou!.Value, 12);
        Assert.Equal(1.0 / 4, r.ClassIou["road"]!.Value, 12); // tp 1, fn 3
        Assert.Equal(0.0, r.ClassIou["sidewalk"]!.Value, 12); // fp 1 only
        Assert.Equal(3.0 / 8, r.PixelAccuracy, 12);             // 8 scored pixels, 3 right at class level
    }

    [Fact]
    public void Int64PredictionsAndParallelMergesCountTheSame()
    {
        var rng = new Random(4);
        byte[] labels = new byte[5000];
        byte[] pred = new byte[5000];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = (byte)(rng.Next(7) == 0 ? 255 : rng.Next(5));
            pred[i] = (byte)rng.Next(6); // 5 is not a class: a miss
        }

        var bytes = new ConfusionMatrix(5);
        bytes.Add(pred, labels);
        var longs = new ConfusionMatrix(5);
        longs.Add(pred.Select(v => (long)v).ToArray(), labels.Select(v => v == 255 ? -1L : v).ToArray());
        var merged = new ConfusionMatrix(5);
        Parallel.For(0, 10, k => merged.Add(pred.AsSpan(k * 500, 500), labels.AsSpan(k * 500, 500)));
        Assert.Equal(bytes.ToArray(), longs.ToArray());
        Assert.Equal(bytes.ToArray(), merged.ToArray());
        Assert.Equal(labels.Count(v => v != 255), bytes.Total);
    }

    [Fact]
    public void ReportsSerialiseWithSnakeCaseKeysAndNullForAbsentClasses()
    {
        var m = new ConfusionMatrix(3);
        m.Add(new byte[] { 0, 1 }, new byte[] { 0, 1 });
        string json = NasJson.Serialize(SegmentationMetrics.Report(m, ["a", "b", "c"]));
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(1.0, doc.RootElement.GetProperty("miou").GetDouble());
        Assert.Equal(1.0, doc.RootElement.GetProperty("pixel_accuracy").GetDouble());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("class_iou").GetProperty("c").ValueKind);
        SegmentationReport back = NasJson.Deserialize<SegmentationReport>(json, "report");
        Assert.Null(back.ClassIou["c"]);
    }

    [Fact]
    public void ForeignCityscapesPredictionsAreScoredAsTheOfficialEvaluatorDoes()
    {
        using var dir = new TempDirectory();
        string gt = dir.Combine("gtFine", "val", "aachen");
        Directory.CreateDirectory(gt);
        // Frame 1: road (7) everywhere but one car (26) column and one ignored (0) column.
        IndexedPng.WriteGray(Path.Combine(gt, "aachen_000001_000019_gtFine_labelIds.png"), TreeBuilder.Label(8, 2, (x, _) => (byte)(x == 6 ? 26 : x == 7 ? 0 : 7)));
        // Frame 2: sky (23).
        IndexedPng.WriteGray(Path.Combine(gt, "aachen_000002_000019_gtFine_labelIds.png"), TreeBuilder.Label(8, 2, (_, _) => 23));
        string preds = dir.Combine("preds");
        Directory.CreateDirectory(Path.Combine(preds, "nested"));
        // Frame 1 predicted from train ids (written as label ids): road on 4 columns, 255 → id 0 "unlabeled" (not an
        // evaluation class: a miss) on 2 columns, car on the car column and on the ignored column (not counted).
        string frame1 = Path.Combine(preds, "run3_aachen_000001_000019_leftImg8bit.png");
        CityscapesPredictionEvaluator.WritePrediction(frame1, TreeBuilder.Label(8, 2, (x, _) => (byte)(x < 4 ? 0 : x < 6 ? 255 : 13)));
        Assert.Equal([7, 7, 7, 7, 0, 0, 26, 26], IndexedPng.Read(frame1).Indices[..8]);
        // Frame 2, label ids directly: road (7) on the first column, sky elsewhere.
        IndexedPng.WriteGray(Path.Combine(preds, "nested", "aachen_000002_000019.png"), TreeBuilder.Label(8, 2, (x, _) => (byte)(x == 0 ? 7 : 23)));

        SegmentationReport r = CityscapesPredictionEvaluator.Evaluate(dir.Path, "val", preds);
        Assert.Equal(2, r.Images);
        Assert.Equal(8.0 / 14, r.ClassIou["road"]!.Value, 12); // tp 8, fn 4 (the misses), fp 2 (sky pixels)
        Assert.Equal(1.0, r.ClassIou["car"]!.Value, 12);
        Assert.Equal(14.0 / 16, r.ClassIou["sky"]!.Value, 12);
        Assert.Null(r.ClassIou["person"]);
        Assert.Equal(1.0, r.CategoryIou!["vehicle"]!.Value, 12);

        File.Delete(Path.Combine(preds, "nested", "aachen_000002_000019.png"));
        Assert.Contains("aachen_000002_000019", Assert.Throws<NasException>(() => CityscapesPredictionEvaluator.Evaluate(dir.Path, "val", preds)).Message);
        IndexedPng.WriteGray(Path.Combine(preds, "a_aachen_000002_000019.png"), TreeBuilder.Label(8, 2, (_, _) => 23));
        IndexedPng.WriteGray(Path.Combine(preds, "b_aachen_000002_000019.png"), TreeBuilder.Label(8, 2, (_, _) => 23));
        NasException twice = Assert.Throws<NasException>(() => CityscapesPredictionEvaluator.Evaluate(dir.Path, "val", preds));
        Assert.Contains("aachen_000002_000019", twice.Message);
        Assert.Contains("two predictions", twice.Message);
        File.Delete(Path.Combine(preds, "b_aachen_000002_000019.png"));
        IndexedPng.WriteGray(Path.Combine(preds, "a_aachen_000002_000019.png"), TreeBuilder.Label(4, 2, (_, _) => 23));
        Assert.Contains("a_aachen_000002_000019.png", Assert.Throws<NasException>(() => CityscapesPredictionEvaluator.Evaluate(dir.Path, "val", preds)).Message);
    }
}
