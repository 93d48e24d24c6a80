using static TorchSharp.torch;

namespace Nas.Latency.Profiling;

/// <summary>Times TorchSharp modules on the CPU (eval mode, no gradients, inputs created once, one dispose scope per run).</summary>
public static class TorchProfiler
{
    public static LatencyStats Profile(Func<Tensor[], Tensor> forward, IReadOnlyList<long[]> inputShapes, ProfileSettings settings)
    {
        settings.Validate();
        Supernet.TorchRuntime.SetThreads(settings.Threads);
        Tensor[] inputs = inputShapes.Select(s => rand(s) - 0.5).ToArray();
        try
        {
            using var noGrad = no_grad();
            return RepeatedTiming.BestOfRepeats(settings, () => forward(inputs), () => NewDisposeScope());
        }
        finally
        {
            foreach (Tensor t in inputs)
            {
                t.Dispose();
            }
        }
    }
}
