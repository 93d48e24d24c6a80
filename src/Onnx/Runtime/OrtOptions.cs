namespace Nas.Onnx.Runtime;

/// <summary>How an ONNX Runtime session is created: provider, fixed thread counts, graph optimisation, TensorRT cache.</summary>
public sealed record OrtOptions
{
    public ExecutionProvider Provider { get; init; } = ExecutionProvider.Cpu;

    public int IntraOpThreads { get; init; } = 2;

    public int InterOpThreads { get; init; } = 1;

    public int DeviceId { get; init; }

    /// <summary>TensorRT engine cache folder (the first run of a model builds its engine; the cache keeps it).</summary>
    public string? TensorRtCacheDir { get; init; }

    public bool TensorRtFp16 { get; init; }

    /// <summary>
    /// Whether idle intra-op threads spin (ONNX Runtime's default) instead of sleeping. Off by default, so a session
    /// does not burn shared cores between runs; latency measurement (<c>OrtProfiler</c>) turns it on.
    /// </summary>
    public bool AllowSpinning { get; init; }

    /// <summary>Lets TensorRT build INT8 engines (needed for QDQ-quantised models; scales come from their Q/DQ nodes).</summary>
    public bool TensorRtInt8 { get; init; }
}
