using Nas.Core;

namespace Nas.Latency.Profiling;

/// <summary>
/// Timing practice: fixed threads, separate warm-up runs (TensorRT builds its engine on the first), then N timed runs.
/// With <see cref="Repeats"/> &gt; 1 the N runs are repeated and the repeat with the lowest median is reported, which
/// keeps a burst of interference from another process out of the result.
/// </summary>
public sealed record ProfileSettings(int Threads = 2, int Warmup = 5, int Runs = 20, int Repeats = 1)
{
    public void Validate()
    {
        if (Threads < 1 || Warmup < 0 || Runs < 1 || Repeats < 1)
        {
            throw new NasException($"profiling needs threads >= 1, warmup >= 0, runs >= 1 and repeats >= 1 (got {Threads}, {Warmup}, {Runs}, {Repeats})");
        }
    }
}
