using Nas.Core;

namespace Nas.Latency.Profiling;

/// <summary>Timing practice: fixed threads, separate warm-up runs (TensorRT builds its engine on the first), then N timed runs.</summary>
public sealed record ProfileSettings(int Threads = 2, int Warmup = 5, int Runs = 20)
{
    public void Validate()
    {
        if (Threads < 1 || Warmup < 0 || Runs < 1)
        {
            throw new NasException($"profiling needs threads >= 1, warmup >= 0 and runs >= 1 (got {Threads}, {Warmup}, {Runs})");
        }
    }
}
