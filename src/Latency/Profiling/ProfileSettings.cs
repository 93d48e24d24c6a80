using Nas.Core;

namespace Nas.Latency.Profiling;

/// <summary>
/// Timing practice: fixed threads, separate warm-up runs (TensorRT builds its engine on the first), then rounds of N
/// timed runs. With <see cref="Repeats"/> &gt; 1 the rounds are repeated and the round with the lowest median is
/// reported, which keeps a burst of interference from another process out of the result. With
/// <see cref="MaxRepeats"/> above <see cref="Repeats"/>, rounds continue until the two fastest round medians agree
/// within <see cref="Stability"/> (the undisturbed latency was seen twice) or <see cref="MaxRepeats"/> is reached;
/// the result then says whether it is stable and how far its rounds spread.
/// </summary>
/// <param name="MaxRepeats">Most rounds when the first <see cref="Repeats"/> do not agree; 0 = exactly <see cref="Repeats"/>.</param>
/// <param name="Stability">Relative difference of the two fastest round medians that counts as stable (0.05 = 5 %).</param>
public sealed record ProfileSettings(int Threads = 2, int Warmup = 5, int Runs = 20, int Repeats = 1, int MaxRepeats = 0, double Stability = 0.05)
{
    /// <summary>The most rounds a measurement may take.</summary>
    public int RoundLimit => Math.Max(Repeats, MaxRepeats);

    public void Validate()
    {
        if (Threads < 1 || Warmup < 0 || Runs < 1 || Repeats < 1 || MaxRepeats < 0)
        {
            throw new NasException($"profiling needs threads >= 1, warmup >= 0, runs >= 1 and repeats >= 1 (got {Threads}, {Warmup}, {Runs}, {Repeats}; max repeats {MaxRepeats})");
        }

        if (!(Stability > 0) || Stability >= 1)
        {
            throw new NasException($"the stability tolerance must be in (0, 1) (got {Stability})");
        }
    }
}
