using Nas.Core;
using Nas.Training.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Nas.Search.Losses;

/// <summary>The resource-aware loss: the task loss combined with the expected architecture cost.</summary>
public sealed record ResourceLoss(ResourceLossKind Kind, double Lambda = 0.0, double Alpha = 0.2, double Beta = 0.6, double Target = 0.0)
{
    public void Validate(double minCost, string unit)
    {
        if (!(Lambda >= 0) || double.IsInfinity(Lambda))
        {
            throw new NasException($"--lambda must be a finite number >= 0 (got {Lambda})");
        }

        switch (Kind)
        {
            case ResourceLossKind.Fbnet:
                if (!(Alpha > 0) || double.IsInfinity(Alpha) || !(Beta > 0) || double.IsInfinity(Beta))
                {
                    throw new NasException($"--alpha and --beta must be positive finite numbers (got {Alpha}, {Beta})");
                }

                if (minCost <= 1.0)
                {
                    throw new NasException(
                        $"the fbnet loss takes log(cost), which needs every architecture to cost more than 1 {unit}; the cheapest costs {minCost:G4} {unit}. " +
                        "Use --loss additive or target, or a larger --input");
                }

                break;
            case ResourceLossKind.Target:
                if (!(Target > 0) || double.IsInfinity(Target))
                {
                    throw new NasException($"--target must be a positive number in {unit} (got {Target})");
                }

                break;
        }
    }

    /// <summary>Combines the task loss with the expected cost (both scalars; the cost is differentiable w.r.t. the logits).</summary>
    public Tensor Combine(Tensor taskLoss, Tensor expectedCost)
    {
        // Explicit Scalars live until the end of the call (TorchSharp does not keep temporary ones alive).
        using Scalar lambda = Lambda.ToScalar();
        using Scalar alpha = Alpha.ToScalar();
        using Scalar beta = Beta.ToScalar();
        using Scalar target = (Target > 0 ? Target : 1.0).ToScalar();
        using Scalar one = 1.0.ToScalar();
        return Kind switch
        {
            ResourceLossKind.Additive => taskLoss.Plus(expectedCost.mul(lambda)),
            ResourceLossKind.Fbnet => taskLoss.mul(alpha) * expectedCost.log().pow(beta),
            _ => taskLoss.Plus(expectedCost.div(target).sub(one).relu().mul(lambda)),
        };
    }
}
