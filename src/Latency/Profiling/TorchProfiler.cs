using Nas.Core.Graphs;
using Nas.Supernet.Graphs;
using Nas.Supernet.Networks;
using static TorchSharp.torch;

namespace Nas.Latency.Profiling;

/// <summary>Times a layer graph run by TorchSharp on the CPU (eval mode, no gradients, inputs created once, one dispose scope per run).</summary>
public static class TorchProfiler
{
    public static LatencyStats Profile(LayerGraph graph, IReadOnlyList<ValueShape> inputShapes, ProfileSettings settings)
    {
        settings.Validate();
        Supernet.TorchRuntime.SetThreads(settings.Threads);
        using var module = new GraphModule(graph);
        WeightInit.Apply(module);
        module.eval();
        Tensor[] inputs = inputShapes.Select(s => rand(1, s.Channels, s.Height, s.Width) - 0.5).ToArray();
        try
        {
            using var noGrad = no_grad();
            return RepeatedTiming.BestOfRepeats(settings, () => module.Run(inputs), () => NewDisposeScope());
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
