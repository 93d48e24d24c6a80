using Nas.Core.Graphs;

namespace Nas.Core.SearchSpaces;

/// <summary>
/// One of the candidate operations a searchable position can take, identified by its canonical name
/// (<c>k3_e1_g2</c>, <c>k3_e6_g1_d2_se_hswish</c>, <c>skip</c>): an op kind (<see cref="ICandidateOpKind"/>) with its
/// options. Two ops are equal when their names are equal. The inverted-residual options are 0 for other kinds.
/// </summary>
public sealed record CandidateOp
{
    public const string SkipName = "skip";

    public required string Name { get; init; }

    public required ICandidateOpKind Kind { get; init; }

    /// <summary>Depthwise kernel size.</summary>
    public int Kernel { get; init; }

    /// <summary>Hidden channels = round(C_in × Expansion).</summary>
    public int Expansion { get; init; }

    /// <summary>Groups of both 1×1 convolutions.</summary>
    public int Groups { get; init; }

    /// <summary>Dilation of the depthwise convolution.</summary>
    public int Dilation { get; init; }

    /// <summary>Squeeze-excite reduction (squeeze width = hidden / reduction, rounded to a multiple of 8); 0 = no SE.</summary>
    public int SeReduction { get; init; }

    public ActivationFunction Activation { get; init; } = ActivationFunction.Relu;

    public bool IsSkip => Kind is SkipOpKind;

    /// <summary>Padding of the depthwise convolution: keeps out = ceil(in / stride).</summary>
    public int Padding => IsSkip ? 0 : Kernel / 2 * Dilation;

    public static CandidateOp Skip { get; } = new() { Name = SkipName, Kind = SkipOpKind.Instance };

    /// <summary>Hidden width for a given input width (round(C_in × e), as the official code).</summary>
    public int HiddenChannels(int inChannels) => IsSkip ? 0 : (int)Math.Round(inChannels * (double)Expansion, MidpointRounding.ToEven);

    public static CandidateOp InvertedResidual(int kernel, int expansion, int groups, int dilation = 1, int seReduction = 0, ActivationFunction activation = ActivationFunction.Relu) =>
        InvertedResidualOpKind.Create(kernel, expansion, groups, dilation, seReduction, activation);

    public bool Equals(CandidateOp? other) => other is not null && Name == other.Name;

    public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Name;
}
