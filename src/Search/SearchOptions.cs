using Nas.Core;
using Nas.Search.Losses;
using Nas.Search.Temperature;
using Nas.Training.Schedules;

namespace Nas.Search;

/// <summary>
/// Hyper-parameters of the architecture search (defaults follow FBNet/DNAS where the SqueezeNAS paper is silent:
/// weights SGD 0.1/0.9/1e-4 with a cosine schedule on the 80 % weight split, logits Adam 0.01/5e-4 on the 20 % arch
/// split, Gumbel temperature 5.0 × exp(−0.045 e), weight-only warm-up).
/// </summary>
public sealed record SearchOptions
{
    public int Epochs { get; init; } = 90;

    /// <summary>Epochs in which only the weights are trained (logits frozen).</summary>
    public int WarmupEpochs { get; init; } = 10;

    public SearchMode Mode { get; init; } = SearchMode.SinglePath;

    /// <summary>Single-path only: candidates run without gradient beside the sampled one (see MixedBlock).</summary>
    public int ContrastPaths { get; init; } = 1;

    public ResourceLossKind Loss { get; init; } = ResourceLossKind.Additive;

    public double Lambda { get; init; } = 0.1;

    public double Alpha { get; init; } = 0.2;

    public double Beta { get; init; } = 0.6;

    /// <summary>Target cost for the target loss, in the cost unit (GMAC or ms).</summary>
    public double Target { get; init; }

    public TemperatureScheduleKind TemperatureSchedule { get; init; } = TemperatureScheduleKind.Exponential;

    public double TauStart { get; init; } = 5.0;

    public double TauEnd { get; init; } = 0.1;

    public double TauDecay { get; init; } = 0.045;

    public double WeightLr { get; init; } = 0.1;

    public double WeightMomentum { get; init; } = 0.9;

    public double WeightDecay { get; init; } = 1e-4;

    public LrScheduleKind WeightSchedule { get; init; } = LrScheduleKind.Cosine;

    public double ArchLr { get; init; } = 0.01;

    public double ArchWeightDecay { get; init; } = 5e-4;

    /// <summary>0 = derive the argmax of the logits; K > 0 = the most probable of K Gumbel samples.</summary>
    public int DeriveSamples { get; init; }

    public int Seed { get; init; }

    public ResourceLoss ResourceLoss => new(Loss, Lambda, Alpha, Beta, Target);

    public TemperatureSchedule Temperature => new(TemperatureSchedule, TauStart, TauEnd, TauDecay);

    public void Validate()
    {
        if (Epochs < 1)
        {
            throw new NasException($"--epochs must be >= 1 (got {Epochs})");
        }

        if (WarmupEpochs < 0 || WarmupEpochs >= Epochs)
        {
            throw new NasException($"--warmup-epochs must be in [0, epochs - 1] = [0, {Epochs - 1}] (got {WarmupEpochs}); the logits need at least one epoch");
        }

        if (ContrastPaths < 0)
        {
            throw new NasException($"--contrast-paths must be >= 0 (got {ContrastPaths})");
        }

        if (!(WeightLr > 0) || !(ArchLr > 0) || double.IsInfinity(WeightLr) || double.IsInfinity(ArchLr))
        {
            throw new NasException($"learning rates must be positive (got weights {WeightLr}, logits {ArchLr})");
        }

        if (DeriveSamples < 0)
        {
            throw new NasException($"--derive-samples must be >= 0 (got {DeriveSamples})");
        }

        Temperature.Validate();
    }
}
