namespace Nas.Core.SearchSpaces;

/// <summary>One searchable position of a space: where it sits and what shapes it maps between.</summary>
/// <param name="Index">Block index (0-based, the genotype position).</param>
/// <param name="Stage">Stage index (0-based).</param>
/// <param name="InChannels">Channels entering the block.</param>
/// <param name="OutChannels">Channels leaving the block.</param>
/// <param name="Stride">1 or 2.</param>
/// <param name="InputReduction">Output stride of the block's input relative to the network input (2 after the stem).</param>
public sealed record BlockPosition(int Index, int Stage, int InChannels, int OutChannels, int Stride, int InputReduction)
{
    /// <summary>The block output is <c>x + op(x)</c> iff stride 1 and equal channels (for every candidate).</summary>
    public bool IsResidual => Stride == 1 && InChannels == OutChannels;

    public int OutputReduction => InputReduction * Stride;

    public SkipKind SkipKind => Stride != 1 ? SkipKind.FactorizedReduce
        : InChannels == OutChannels ? SkipKind.Identity
        : SkipKind.Projection;

    /// <summary>Spatial size of the block's input for a network input (already padded to a multiple of 16).</summary>
    public InputSize InputSizeFor(InputSize networkInput) =>
        new(Reduce(networkInput.Height, InputReduction), Reduce(networkInput.Width, InputReduction));

    public InputSize OutputSizeFor(InputSize networkInput) =>
        new(Reduce(networkInput.Height, OutputReduction), Reduce(networkInput.Width, OutputReduction));

    /// <summary>Size after repeated ceil-halving, which is what 3×3/s2/p1 convs and every stride-2 candidate produce.</summary>
    public static int Reduce(int size, int reduction)
    {
        int s = size;
        for (int r = reduction; r > 1; r /= 2)
        {
            s = (s + 1) / 2;
        }

        return s;
    }
}
