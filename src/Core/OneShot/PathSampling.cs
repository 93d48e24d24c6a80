namespace Nas.Core.OneShot;

/// <summary>Which paths of the supernet one weight-sharing training step trains.</summary>
public enum PathSampling
{
    /// <summary>Single-path one-shot (SPOS): <c>random_paths</c> random paths per step (default 1).</summary>
    Uniform,

    /// <summary>The sandwich rule (BigNAS, OFA): the largest and the smallest network plus <c>random_paths</c> random paths per step, gradients accumulated.</summary>
    Sandwich,
}
