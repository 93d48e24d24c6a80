using Nas.Core;
using Nas.Core.Progress;
using Nas.Data.Datasets;
using Nas.Data.Images;
using Nas.Data.Loading;
using Nas.Data.Metrics;
using Nas.Supernet;
using Nas.Supernet.Checkpoints;
using Nas.Supernet.Networks;
using Nas.Training.Data;
using Nas.Weights.Checkpoints;
using static TorchSharp.torch;

namespace Nas.Retrain.Evaluation;

/// <summary>
/// <c>nas eval</c>: runs a checkpoint over a split (batch 1, single scale, no flip) and scores it, or scores
/// prediction PNGs someone else produced (Cityscapes label ids). Cityscapes reports add the 7 category IoUs.
/// </summary>
public static class EvalWorkflow
{
    public static SegmentationReport EvaluateCheckpoint(
        string checkpoint,
        DataConfig data,
        string split,
        string? savePredictions,
        int threads,
        IProgress<ProgressInfo>? progress = null,
        CancellationToken cancellationToken = default)
    {
        TorchRuntime.SetThreads(threads);
        SegmentationDataset dataset = data.Open(split);
        CheckpointFile ckpt = CheckpointFile.Load(checkpoint);
        using NetworkModule network = ckpt.CreateNetwork();
        if (network.Classes != dataset.Info.ClassCount)
        {
            throw new NasException($"{checkpoint}: the network predicts {network.Classes} classes but {dataset.Info.Name} has {dataset.Info.ClassCount}");
        }

        bool cityscapes = dataset is CityscapesDataset;
        if (savePredictions is not null)
        {
            Directory.CreateDirectory(savePredictions);
        }

        network.eval();
        var confusion = new ConfusionMatrix(dataset.Info.ClassCount);
        SegmentationLoader loader = data.EvalLoader(dataset, network.Spec.Input);
        int done = 0;
        using (no_grad())
        {
            foreach (DataBatch batch in loader.Epoch(0, cancellationToken))
            {
                using var scope = NewDisposeScope();
                Tensor images = tensor(batch.Images, [batch.Count, 3, batch.Height, batch.Width]);
                byte[] prediction = network.call(images).argmax(1).to_type(ScalarType.Byte).data<byte>().ToArray();
                confusion.Add(prediction, batch.Labels);
                if (savePredictions is not null)
                {
                    var map = new LabelMap(batch.Width, batch.Height, prediction);
                    PredictionFiles.Save(savePredictions, batch.Ids[0], map, dataset.Info, cityscapes);
                }

                progress?.Report(new ProgressInfo("evaluate", ++done, loader.BatchesPerEpoch));
            }
        }

        return SegmentationMetrics.Report(confusion, dataset.Info.ClassNames, cityscapes) with { Images = done, Dataset = dataset.Info.Name, Split = split };
    }

    /// <summary>Scores Cityscapes label-id prediction PNGs matched to ground truth by their frame key (the official workflow).</summary>
    public static SegmentationReport EvaluatePredictions(string predictionDir, DataConfig data, string split, IProgress<ProgressInfo>? progress = null, CancellationToken cancellationToken = default)
    {
        if (!data.Dataset.Equals("cityscapes", StringComparison.OrdinalIgnoreCase))
        {
            throw new NasException("--predictions evaluates Cityscapes label-id PNGs; use --dataset cityscapes");
        }

        return CityscapesPredictionEvaluator.Evaluate(data.Root, split, predictionDir, progress, cancellationToken) with { Dataset = "cityscapes", Split = split };
    }
}
