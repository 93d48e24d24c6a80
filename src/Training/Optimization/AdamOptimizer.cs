using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nas.Training.Optimization;

/// <summary>Adam with L2 weight decay added to the gradient, as <c>torch.optim.Adam</c> (not AdamW, no AMSGrad).</summary>
public sealed class AdamOptimizer(IEnumerable<Parameter> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
    : ParameterOptimizer(parameters, learningRate)
{
    protected override void Update()
    {
        using Scalar decay = weightDecay.ToScalar();
        using Scalar b1 = beta1.ToScalar();
        using Scalar b2 = beta2.ToScalar();
        using Scalar oneMinusB1 = (1 - beta1).ToScalar();
        using Scalar oneMinusB2 = (1 - beta2).ToScalar();
        using Scalar eps = epsilon.ToScalar();
        using Scalar one = 1.0.ToScalar();
        for (int i = 0; i < Parameters.Count; i++)
        {
            Parameter p = Parameters[i];
            using Tensor? grad = p.grad;
            if (grad is null)
            {
                continue;
            }

            Tensor g = weightDecay != 0 ? grad.add(p, decay) : grad;
            Tensor step = State("step", i, () => zeros([], ScalarType.Float64));
            Tensor expAvg = State("exp_avg", i, () => zeros_like(p));
            Tensor expAvgSq = State("exp_avg_sq", i, () => zeros_like(p));
            step.add_(one);
            double t = step.item<double>();
            expAvg.mul_(b1).add_(g, oneMinusB1);
            expAvgSq.mul_(b2).addcmul_(g, g, oneMinusB2);
            double biasCorrection1 = 1 - Math.Pow(beta1, t);
            double biasCorrection2 = 1 - Math.Pow(beta2, t);
            using Scalar sqrtBc2 = Math.Sqrt(biasCorrection2).ToScalar();
            using Scalar stepSize = (-LearningRate / biasCorrection1).ToScalar();
            Tensor denominator = expAvgSq.sqrt().div_(sqrtBc2).add_(eps);
            p.addcdiv_(expAvg, denominator, stepSize);
        }
    }
}
