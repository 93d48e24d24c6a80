using Nas.Data.Datasets;

namespace Nas.Data.Metrics;

/// <summary>IoU, mIoU, pixel accuracy and the Cityscapes category IoU, as the official evaluation defines them.</summary>
public static class SegmentationMetrics
{
    /// <summary>IoU = TP / (TP + FP + FN); null when the class is absent from ground truth and prediction.</summary>
    public static double? Iou(ConfusionMatrix m, int c)
    {
        long tp = m.TruePositives(c), fp = m.FalsePositives(c), fn = m.FalseNegatives(c);
        long denominator = tp + fp + fn;
        return denominator == 0 ? null : (double)tp / denominator;
    }

    /// <summary>Mean IoU over the classes present in the ground truth or the prediction (NaN when none is).</summary>
    public static double MeanIou(ConfusionMatrix m)
    {
        double[] present = Enumerable.Range(0, m.Classes).Select(c => Iou(m, c)).Where(v => v is not null).Select(v => v!.Value).ToArray();
        return present.Length == 0 ? double.NaN : present.Average();
    }

    public static double PixelAccuracy(ConfusionMatrix m)
    {
        long correct = 0;
        for (int c = 0; c < m.Classes; c++)
        {
            correct += m.TruePositives(c);
        }

        long total = m.Total;
        return total == 0 ? double.NaN : (double)correct / total;
    }

    public static SegmentationReport Report(ConfusionMatrix m, IReadOnlyList<string> classNames, bool cityscapesCategories = false)
    {
        var classIou = new Dictionary<string, double?>(StringComparer.Ordinal);
        for (int c = 0; c < m.Classes; c++)
        {
            classIou[c < classNames.Count ? classNames[c] : $"class{c}"] = Iou(m, c);
        }

        Dictionary<string, double?>? categoryIou = null;
        double? categoryMiou = null;
        if (cityscapesCategories)
        {
            categoryIou = CityscapesCategoryIou(m);
            double[] valid = categoryIou.Values.Where(v => v is not null).Select(v => v!.Value).ToArray();
            categoryMiou = valid.Length == 0 ? null : valid.Average();
        }

        return new SegmentationReport
        {
            Miou = MeanIou(m),
            PixelAccuracy = PixelAccuracy(m),
            ClassIou = classIou,
            CategoryMiou = categoryMiou,
            CategoryIou = categoryIou,
            Pixels = m.Total,
        };
    }

    /// <summary>
    /// Category IoU of the official script (<c>getIouScoreForCategory</c>): TP = predictions anywhere inside the
    /// category for ground truth inside it; FP = predictions in the category for valid ground truth outside it;
    /// FN = category ground truth minus TP (predictions of non-classes are misses). Needs a 19-class train-id matrix.
    /// </summary>
    public static Dictionary<string, double?> CityscapesCategoryIou(ConfusionMatrix m)
    {
        IReadOnlyList<int> categoryOf = CityscapesLabels.TrainIdCategory;
        if (m.Classes != categoryOf.Count)
        {
            throw new ArgumentException($"category IoU needs the {categoryOf.Count} Cityscapes train classes, not {m.Classes}");
        }

        var result = new Dictionary<string, double?>(StringComparer.Ordinal);
        for (int cat = 0; cat < CityscapesLabels.Categories.Count; cat++)
        {
            long tp = 0, fp = 0, gt = 0;
            for (int i = 0; i < m.Classes; i++)
            {
                for (int j = 0; j <= m.Classes; j++)
                {
                    long v = m[i, j];
                    bool truthIn = categoryOf[i] == cat;
                    bool predIn = j < m.Classes && categoryOf[j] == cat;
                    if (truthIn)
                    {
                        gt += v;
                    }

                    if (truthIn && predIn)
                    {
                        tp += v;
                    }
                    else if (!truthIn && predIn)
                    {
                        fp += v;
                    }
                }
            }

            long fn = gt - tp;
            long denominator = tp + fp + fn;
            result[CityscapesLabels.Categories[cat]] = denominator == 0 ? null : (double)tp / denominator;
        }

        return result;
    }
}
