using Nas.Onnx.Runtime;

namespace Nas.Latency.Profiling;

/// <summary>
/// Times ONNX models in ONNX Runtime (<see cref="OrtTimedSession"/>: bound inputs and outputs, inference only). Idle
/// intra-op threads spin while timing (<see cref="OrtOptions.AllowSpinning"/>), as in a deployed latency-critical session.
/// </summary>
public static class OrtProfiler
{
    public static LatencyStats Profile(byte[] model, OrtOptions options, ProfileSettings settings, string source = "model")
    {
        settings.Validate();
        using var session = new OrtTimedSession(model, options with { IntraOpThreads = settings.Threads, AllowSpinning = true }, source);
        return RepeatedTiming.BestOfRepeats(settings, session.Run);
    }

    /// <summary>
    /// Times several models interleaved (each round times every model in turn, see <see cref="RepeatedTiming.Interleaved"/>),
    /// so that they are compared under the same conditions; one result per model, in order.
    /// </summary>
    public static IReadOnlyList<LatencyStats> ProfileInterleaved(IReadOnlyList<(byte[] Model, string Source)> models, OrtOptions options, ProfileSettings settings, CancellationToken cancellationToken = default)
    {
        settings.Validate();
        var sessions = new List<OrtTimedSession>();
        try
        {
            foreach ((byte[] model, string source) in models)
            {
                sessions.Add(new OrtTimedSession(model, options with { IntraOpThreads = settings.Threads, AllowSpinning = true }, source));
            }

            return RepeatedTiming.Interleaved(settings, sessions.Select(s => (Action)s.Run).ToArray(), cancellationToken: cancellationToken);
        }
        finally
        {
            foreach (OrtTimedSession s in sessions)
            {
                s.Dispose();
            }
        }
    }
}
