using Nas.Core;
using Nas.Training.Schedules;

namespace Nas.Retrain.Training;

/// <summary>Hyper-parameters of retraining / fine-tuning a standalone network.</summary>
public sealed record TrainOptions
{
    public int Epochs { get; init; } = 30;

    /// <summary>Gradient accumulation: optimiser step every K batches (effective batch = batch × K, Caffe's iter_size).</summary>
    public int Accumulate { get; init; } = 1;

    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;

    public double Lr { get; init; } = 0.01;

    public double Momentum { get; init; } = 0.9;

    public double WeightDecay { get; init; } = 1e-4;

    public LrScheduleKind Schedule { get; init; } = LrScheduleKind.Poly;

    /// <summary>Step schedule: decay every this many epochs.</summary>
    public int StepEpochs { get; init; } = 10;

    public int WarmupIterations { get; init; }

    /// <summary>Epochs during which the encoder is frozen (weights and BatchNorm statistics); then all layers train.</summary>
    public int FreezeEncoderEpochs { get; init; }

    public BestMetric BestBy { get; init; } = BestMetric.Miou;

    public int Seed { get; init; }

    public void Validate()
    {
        if (Epochs < 1)
        {
            throw new NasException($"--epochs must be >= 1 (got {Epochs})");
        }

        if (Accumulate < 1)
        {
            throw new NasException($"--accumulate must be >= 1 (got {Accumulate})");
        }

        if (!(Lr > 0) || double.IsInfinity(Lr))
        {
            throw new NasException($"--lr must be a positive number (got {Lr})");
        }

        if (!(WeightDecay >= 0) || !(Momentum >= 0))
        {
            throw new NasException($"--weight-decay and --momentum must be >= 0 (got {WeightDecay}, {Momentum})");
        }

        if (FreezeEncoderEpochs < 0 || FreezeEncoderEpochs > Epochs)
        {
            throw new NasException($"--freeze-encoder epochs must be in [0, {Epochs}] (got {FreezeEncoderEpochs})");
        }
    }
}
