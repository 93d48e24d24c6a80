using Nas.Onnx.Runtime;

namespace Nas.Deploy.Evaluation;

/// <summary>What <c>nas eval --onnx</c> evaluates: a model file on a dataset split, with ONNX Runtime settings.</summary>
public sealed record OnnxEvalOptions
{
    public required string Model { get; init; }

    public required string Dataset { get; init; }

    public required string Root { get; init; }

    public string Split { get; init; } = "val";

    /// <summary>HxW to resize images to for a model with a dynamic input size (a fixed size is taken from the model).</summary>
    public string? Input { get; init; }

    public int Workers { get; init; } = 2;

    public int Limit { get; init; }

    public string? SavePredictions { get; init; }

    public OrtOptions Ort { get; init; } = new();
}
