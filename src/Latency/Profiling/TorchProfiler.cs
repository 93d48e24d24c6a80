using System.Diagnostics;
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
            for (int i = 0; i < settings.Warmup; i++)
            {
                using var scope = NewDisposeScope();
                forward(inputs);
            }

            LatencyStats? best = null;
            for (int r = 0; r < settings.Repeats; r++)
            {
                var times = new double[settings.Runs];
                for (int i = 0; i < settings.Runs; i++)
                {
                    using var scope = NewDisposeScope();
                    long start = Stopwatch.GetTimestamp();
                    forward(inputs);
                    times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }

                LatencyStats stats = LatencyStats.From(times);
                if (best is null || stats.Median < best.Median)
                {
                    best = stats;
                }
            }

            return best!;
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
