using TorchSharp.Modules;

namespace Nas.Training.Optimization;

/// <summary>Gradient housekeeping TorchSharp's optimisers lack.</summary>
public static class Gradients
{
    /// <summary>
    /// Sets gradients to "none" (PyTorch's <c>zero_grad(set_to_none=True)</c>, its default since 2.0). TorchSharp's
    /// <c>zero_grad()</c> only zeroes them, and SGD then keeps applying momentum and weight decay to parameters that
    /// took no part in the step — in a single-path supernet, every candidate that was not sampled. With "none" they
    /// are skipped, and a resumed run (whose fresh gradients are all "none") behaves exactly like an uninterrupted one.
    /// </summary>
    public static void Clear(IEnumerable<Parameter> parameters)
    {
        foreach (Parameter p in parameters)
        {
            p.grad = null;
        }
    }
}
