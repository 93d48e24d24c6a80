using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nas.Supernet.Layers;

/// <summary>
/// 2-D batch normalisation with PyTorch's parameters and buffers (<c>weight</c>, <c>bias</c>, <c>running_mean</c>,
/// <c>running_var</c>, int64 <c>num_batches_tracked</c>), used instead of TorchSharp's <c>BatchNorm</c>. Why: that
/// module increments its counter with temporary <c>Scalar</c> objects, which the garbage collector may finalise while
/// the native call still reads them (TorchSharp passes raw handles without keeping the objects alive); in long runs
/// with a busy data loader this surfaced as "Unknown scalar type" crashes. Here the increment uses a Scalar that is
/// never collected, and everything else goes through <c>functional.batch_norm</c>, which takes plain doubles.
/// </summary>
public sealed class BatchNormalization : nn.Module<Tensor, Tensor>
{
    private static readonly Scalar s_one = 1L.ToScalar();

    [TorchSharp.Utils.ComponentName(Name = "weight")]
    private readonly Parameter _weight;

    [TorchSharp.Utils.ComponentName(Name = "bias")]
    private readonly Parameter _bias;

    [TorchSharp.Utils.ComponentName(Name = "running_mean")]
    private readonly Tensor _runningMean;

    [TorchSharp.Utils.ComponentName(Name = "running_var")]
    private readonly Tensor _runningVar;

    [TorchSharp.Utils.ComponentName(Name = "num_batches_tracked")]
    private readonly Tensor _numBatchesTracked;

    public BatchNormalization(long features, double eps = 1e-5, double momentum = 0.1)
        : base(nameof(BatchNormalization))
    {
        Features = features;
        Eps = eps;
        Momentum = momentum;
        _weight = new Parameter(ones(features), requires_grad: true);
        _bias = new Parameter(zeros(features), requires_grad: true);
        _runningMean = zeros(features);
        _runningVar = ones(features);
        _numBatchesTracked = zeros([], ScalarType.Int64);
        RegisterComponents();
    }

    public long Features { get; }

    public double Eps { get; }

    public double Momentum { get; }

    public Parameter weight => _weight;

    public Parameter bias => _bias;

    public Tensor running_mean => _runningMean;

    public Tensor running_var => _runningVar;

    public Tensor num_batches_tracked => _numBatchesTracked;

    public override Tensor forward(Tensor input)
    {
        if (training)
        {
            using (no_grad())
            {
                _numBatchesTracked.add_(s_one, s_one);
            }
        }

        return nn.functional.batch_norm(input, _runningMean, _runningVar, _weight, _bias, training, Momentum, Eps);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _weight.Dispose();
            _bias.Dispose();
            _runningMean.Dispose();
            _runningVar.Dispose();
            _numBatchesTracked.Dispose();
        }

        base.Dispose(disposing);
    }
}
