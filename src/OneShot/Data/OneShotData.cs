using Nas.Core;
using Nas.Core.SearchSpaces;
using Nas.Data.Datasets;
using Nas.Data.Loading;
using Nas.Data.Transforms;
using Nas.OneShot.Training;
using Nas.Training.Batches;
using Nas.Training.Data;

namespace Nas.OneShot.Data;

/// <summary>
/// The data of a one-shot run, derived from its <see cref="SupernetTrainConfig"/> the same way every time: the
/// training split divided (seeded) into the part the supernet's weights train on and the held-out part sub-networks
/// are scored on (or, with <c>holdout</c> 0, the whole training split and the validation split).
/// </summary>
public sealed class OneShotData
{
    private OneShotData(SupernetTrainConfig config, SegmentationDataset train, SegmentationDataset weights, SegmentationDataset heldOut)
    {
        Config = config;
        Train = train;
        Weights = weights;
        HeldOut = heldOut;
    }

    public SupernetTrainConfig Config { get; }

    public SegmentationDataset Train { get; }

    public SegmentationDataset Weights { get; }

    public SegmentationDataset HeldOut { get; }

    public int Classes => Train.Info.ClassCount;

    public InputSize Input => Config.Data.CropSize;

    public static OneShotData Open(SupernetTrainConfig config)
    {
        SegmentationDataset train = config.Data.Open(config.Data.TrainSplit);
        if (config.Holdout > 0)
        {
            (SubsetDataset weights, SubsetDataset heldOut) = SubsetDataset.Partition(train, config.Holdout, config.Train.Seed, "weights", "holdout");
            return new OneShotData(config, train, weights, heldOut);
        }

        SegmentationDataset val = config.Data.Open(config.Data.ValSplit);
        return new OneShotData(config, train, train, val);
    }

    /// <summary>The weight part as augmented training batches of (seed, epoch).</summary>
    public DatasetBatchSource WeightSource(int seed) => new(Config.Data.TrainLoader(Weights, seed));

    /// <summary>The held-out part, resized to the evaluation size (the data's eval size, else the supernet's input), in order.</summary>
    public DatasetBatchSource HeldOutSource(int maxImages = 0)
    {
        InputSize size = Config.Data.EvalSize is string e
            ? (InputSize.TryParse(e, out InputSize s) ? s : throw new NasException($"eval size '{e}' is not HxW"))
            : Input;
        ISegmentationDataset dataset = maxImages > 0 && maxImages < HeldOut.Count
            ? new SubsetDataset(HeldOut, Enumerable.Range(0, maxImages), HeldOut.Split)
            : HeldOut;
        return new DatasetBatchSource(new SegmentationLoader(dataset, new LoaderOptions
        {
            BatchSize = Math.Max(1, Config.Data.Batch),
            Shuffle = false,
            DropLast = false,
            Augment = false,
            Workers = Config.Data.Workers,
            Transform = TransformOptions.ForEvaluation(size.Height, size.Width),
        }));
    }

    /// <summary>The first <paramref name="batches"/> augmented batches of the weight part (fixed), for BatchNorm re-estimation.</summary>
    public IReadOnlyList<TensorBatch> LoadCalibration(int batches, CancellationToken cancellationToken = default)
    {
        if (batches < 1)
        {
            throw new NasException($"--bn-batches must be >= 1 (got {batches})");
        }

        DatasetBatchSource source = WeightSource(Config.Train.Seed + 7919);
        if (source.BatchesPerEpoch < 1)
        {
            throw new NasException($"the weight part ({Weights.Count} images) yields no batch of {Config.Data.Batch}");
        }

        var result = new List<TensorBatch>(batches);
        for (int epoch = 0; result.Count < batches; epoch++)
        {
            foreach (TensorBatch b in source.Epoch(epoch, cancellationToken))
            {
                result.Add(b);
                if (result.Count == batches)
                {
                    break;
                }
            }
        }

        return result;
    }

    /// <summary>The held-out batches (at most <paramref name="maxImages"/> images; 0 = all), loaded once.</summary>
    public IReadOnlyList<TensorBatch> LoadHeldOut(int maxImages, CancellationToken cancellationToken = default) =>
        HeldOutSource(maxImages).Epoch(0, cancellationToken).ToList();
}
