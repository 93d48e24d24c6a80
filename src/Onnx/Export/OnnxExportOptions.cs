namespace Nas.Onnx.Export;

/// <summary>How <see cref="LayerGraphExporter"/> writes a model.</summary>
public sealed record OnnxExportOptions
{
    public int Batch { get; init; } = 1;

    /// <summary>Replace the main output by its per-pixel argmax (int64 <c>labels</c>, N×H×W).</summary>
    public bool Argmax { get; init; }

    /// <summary>Fold BatchNorm into the preceding convolutions (the default; unfolded BatchNorms become ONNX BatchNormalization).</summary>
    public bool FoldBatchNorm { get; init; } = true;

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    public string? DocString { get; init; }
}
