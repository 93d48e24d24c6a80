namespace Nas.Core.SearchSpaces;

/// <summary>
/// One of the candidate operations a searchable position can take: an inverted-residual block
/// (1×1 expand, k×k depthwise, 1×1 project; §1.2 of the SqueezeNAS reference) or the "skip" candidate.
/// </summary>
/// <param name="Name">Canonical name, e.g. <c>k3_e1_g2</c>, <c>k3_e6_g1_d2</c> or <c>skip</c>.</param>
/// <param name="Kernel">Depthwise kernel size (0 for skip).</param>
/// <param name="Expansion">Hidden channels = round(C_in × Expansion) (0 for skip).</param>
/// <param name="Groups">Groups of both 1×1 convolutions (0 for skip).</param>
/// <param name="Dilation">Dilation of the depthwise convolution (0 for skip).</param>
public sealed record CandidateOp(string Name, int Kernel, int Expansion, int Groups, int Dilation)
{
    public const string SkipName = "skip";

    public bool IsSkip => Name == SkipName;

    /// <summary>Padding of the depthwise convolution: keeps out = ceil(in / stride) for every candidate.</summary>
    public int Padding => IsSkip ? 0 : Kernel / 2 * Dilation;

    /// <summary>Hidden width of the block for a given input width (round(C_in × e), as the official code).</summary>
    public int HiddenChannels(int inChannels) => IsSkip ? 0 : (int)Math.Round(inChannels * (double)Expansion, MidpointRounding.ToEven);

    public static CandidateOp InvertedResidual(int kernel, int expansion, int groups, int dilation = 1)
    {
        string name = $"k{kernel}_e{expansion}_g{groups}" + (dilation == 1 ? string.Empty : $"_d{dilation}");
        return new CandidateOp(name, kernel, expansion, groups, dilation);
    }

    public static CandidateOp Skip { get; } = new(SkipName, 0, 0, 0, 0);

    public override string ToString() => Name;
}
