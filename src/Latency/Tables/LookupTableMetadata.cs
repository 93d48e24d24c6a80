using Nas.Core.SearchSpaces;

namespace Nas.Latency.Tables;

/// <summary>The sidecar <c>TABLE.meta.json</c>: what the table is for and how it was produced.</summary>
public sealed record LookupTableMetadata
{
    public required string Space { get; init; }

    public required string SpaceCanonical { get; init; }

    public SearchSpaceDefinition? SpaceDefinition { get; init; }

    /// <summary>Network input size HxW the shapes were computed for.</summary>
    public required string Input { get; init; }

    public required int Classes { get; init; }

    public int Batch { get; init; } = 1;

    /// <summary><c>ms</c> or <c>macs</c>.</summary>
    public required string Unit { get; init; }

    /// <summary><c>analytic</c>, <c>ort</c> or <c>torch</c>.</summary>
    public required string Runtime { get; init; }

    public string? Provider { get; init; }

    /// <summary>fp32, fp16 or int8: the precision the entries were converted to before timing (absent: fp32).</summary>
    public string? Precision { get; init; }

    public int? Threads { get; init; }

    public int? Warmup { get; init; }

    public int? Runs { get; init; }

    /// <summary>
    /// Median time of running an empty model (session/dispatch overhead). Each measured entry includes it once; the
    /// prediction of a network subtracts it from every entry and adds it back once.
    /// </summary>
    public double? RunOverheadMs { get; init; }

    /// <summary>
    /// Optional linear correction measured ≈ slope·(Σ entries) + intercept, fitted by <c>nas lut check --calibrate</c> on
    /// whole networks measured end to end; predictions and search costs apply it.
    /// </summary>
    public double? CalibrationSlope { get; init; }

    public double? CalibrationIntercept { get; init; }

    /// <summary>How the calibration was obtained (samples, seed, date).</summary>
    public string? CalibrationSource { get; init; }

    public string? Device { get; init; }

    public string? Host { get; init; }

    public required string CreatedUtc { get; init; }

    public required string ToolVersion { get; init; }
}
