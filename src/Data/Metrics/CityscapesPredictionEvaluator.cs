using Nas.Core;
using Nas.Core.Progress;
using Nas.Data.Datasets;
using Nas.Data.Images;

namespace Nas.Data.Metrics;

/// <summary>
/// Scores someone else's Cityscapes predictions as the official <c>evalPixelLevelSemanticLabeling.py</c> does:
/// ground truth is every <c>gtFine/{split}/*/*_gtFine_labelIds.png</c>; each frame needs exactly one prediction PNG
/// of label ids (not train ids) whose name contains the frame's <c>{city}_{seq}_{frame}</c>; predicted ids that are
/// not evaluation classes count as misses (false negatives of the true class, false positives of none); pixels
/// whose ground truth is ignored in evaluation are not counted. Class and category IoU follow §5.4 of the reference.
/// </summary>
public static class CityscapesPredictionEvaluator
{
    public static SegmentationReport Evaluate(
        string cityscapesRoot,
        string split,
        string predictionDir,
        IProgress<ProgressInfo>? progress = null,
        CancellationToken cancellationToken = default)
    {
        string gtDir = Path.Combine(cityscapesRoot, "gtFine", split);
        if (!Directory.Exists(gtDir))
        {
            throw new NasException($"Cityscapes ground truth not found: '{gtDir}' does not exist");
        }

        string[] truthFiles = Directory.EnumerateFiles(gtDir, "*_gtFine_labelIds.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        if (truthFiles.Length == 0)
        {
            throw new NasException($"no *_gtFine_labelIds.png under '{gtDir}'");
        }

        var frames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in truthFiles)
        {
            string key = CityscapesPredictionMatcher.KeyOf(file) ?? throw new NasException($"{file}: not a Cityscapes file name ({{city}}_{{seq}}_{{frame}}_gtFine_labelIds.png)");
            frames[key] = file;
        }

        IReadOnlyDictionary<string, string> predictions = CityscapesPredictionMatcher.Match(predictionDir, frames.Keys);
        var confusion = new ConfusionMatrix(CityscapesLabels.TrainClasses.Count);
        int done = 0;
        ParallelErrors.Run(() => Parallel.ForEach(frames, new ParallelOptions { CancellationToken = cancellationToken }, frame =>
        {
            string predictionFile = predictions[frame.Key];
            LabelMap truth = IndexedPng.Read(frame.Value);
            LabelMap predicted = IndexedPng.Read(predictionFile);
            if (predicted.Width != truth.Width || predicted.Height != truth.Height)
            {
                throw new NasException($"{predictionFile}: prediction is {predicted.Height}x{predicted.Width} (HxW) but the ground truth of frame {frame.Key} is {truth.Height}x{truth.Width}");
            }

            byte[] toTrainId = CityscapesLabels.IdToTrainId;
            byte[] t = new byte[truth.Indices.Length];
            byte[] p = new byte[t.Length];
            for (int i = 0; i < t.Length; i++)
            {
                byte id = truth.Indices[i];
                if (id > CityscapesLabels.MaxLabelId)
                {
                    throw new NasException($"{frame.Value}: label id {id} is not a Cityscapes label id (0..{CityscapesLabels.MaxLabelId})");
                }

                t[i] = toTrainId[id];
                p[i] = toTrainId[predicted.Indices[i]]; // 255 for ids that are not evaluation classes: a miss
            }

            confusion.Add(p, t);
            progress?.Report(new ProgressInfo("evaluate", Interlocked.Increment(ref done), frames.Count));
        }));

        return SegmentationMetrics.Report(confusion, CityscapesLabels.Info.ClassNames, cityscapesCategories: true) with
        {
            Images = frames.Count,
            Dataset = "cityscapes",
            Split = split,
        };
    }

    /// <summary>Writes a train-id prediction as the label-id PNG the official evaluator reads.</summary>
    public static void WritePrediction(string path, LabelMap trainIds) => IndexedPng.WriteGray(path, CityscapesLabels.ToLabelIds(trainIds));
}
