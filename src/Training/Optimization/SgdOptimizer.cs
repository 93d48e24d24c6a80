using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nas.Training.Optimization;

/// <summary>SGD with momentum and L2 weight decay, as <c>torch.optim.SGD</c> (dampening 0, no Nesterov).</summary>
public sealed class SgdOptimizer(IEnumerable<Parameter> parameters, double learningRate, double momentum = 0.9, double weightDecay = 0)
    : ParameterOptimizer(parameters, learningRate)
{
    public double Momentum { get; } = momentum;

    public double WeightDecay { get; } = weightDecay;

    protected override void Update()
    {
        using Scalar decay = WeightDecay.ToScalar();
        using Scalar mu = Momentum.ToScalar();
        using Scalar one = 1.0.ToScalar();
        using Scalar step = (-LearningRate).ToScalar();
        for (int i = 0; i < Parameters.Count; i++)
        {
            Parameter p = Parameters[i];
            using Tensor? grad = p.grad;
            if (grad is null)
            {
                continue;
            }

            Tensor d = WeightDecay != 0 ? grad.add(p, decay) : grad;
            if (Momentum != 0)
            {
                if (!HasState("momentum", i))
                {
                    d = State("momentum", i, () => d.clone());
                }
                else
                {
                    Tensor buffer = State("momentum", i, () => throw new InvalidOperationException());
                    buffer.mul_(mu).add_(d, one);
                    d = buffer;
                }
            }

            p.add_(d, step);
        }
    }
}
