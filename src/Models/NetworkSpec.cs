using Nas.Core.Genotypes;
using Nas.Core.Graphs;

namespace Nas.Models;

/// <summary>
/// The one contract for "a network" that every command takes: its layer graph (the single description everything is
/// derived from), the reference that rebuilds it, its class count and input convention, and which tensors are the
/// classifier (re-initialised when the class count changes) and the encoder (frozen by <c>--freeze-encoder</c>).
/// </summary>
public sealed record NetworkSpec
{
    public required string Name { get; init; }

    public required ArchitectureReference Architecture { get; init; }

    public required LayerGraph Graph { get; init; }

    public required int Classes { get; init; }

    public InputConvention Input { get; init; } = InputConvention.ImageNet;

    /// <summary>Input sizes the network takes beyond what shape inference checks (checked by <see cref="CheckInputSize"/>).</summary>
    public InputSizeRule InputSize { get; init; } = InputSizeRule.Any;

    /// <summary>Tensor-name prefixes of the layers that produce class scores.</summary>
    public IReadOnlyList<string> ClassifierPrefixes { get; init; } = [];

    /// <summary>Tensor-name prefixes of the encoder.</summary>
    public IReadOnlyList<string> EncoderPrefixes { get; init; } = [];

    /// <summary>Family in the registry (<c>squeezenas</c>, <c>mobilenet-v3</c>, ...).</summary>
    public string Family { get; init; } = "custom";

    /// <summary>The genotype of a SqueezeNAS network, null for other networks.</summary>
    public NamedGenotype? Genotype { get; init; }

    /// <summary>
    /// Checks that the network can run at <paramref name="height"/>×<paramref name="width"/>: its size rule (a one-line
    /// error naming it), then shape inference (an error naming the first node that cannot take its input).
    /// </summary>
    public GraphShapes CheckInputSize(int height, int width)
    {
        InputSize.Check(Name, height, width);
        return Graph.InferShapes(height, width);
    }

    public bool IsClassifierTensor(string name) => ClassifierPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));

    public bool IsEncoderTensor(string name) => EncoderPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));
}
