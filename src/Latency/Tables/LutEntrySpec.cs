using Nas.Core.SearchSpaces;

namespace Nas.Latency.Tables;

/// <summary>
/// One entry a table needs: a (position, candidate) block or a fixed part, with its shapes and canonical key.
/// <see cref="SecondInShape"/> is the head's skip-feature input.
/// </summary>
public sealed record LutEntrySpec(LutPart Part, int? Position, CandidateOp? Op, int[] InShape, int[] OutShape, int Stride, string Key, int[]? SecondInShape = null)
{
    public string OpName => Op?.Name ?? PartName;

    public string PartName => Part switch
    {
        LutPart.Block => "block",
        LutPart.Stem => "stem",
        LutPart.LastConv => "last_conv",
        _ => "head",
    };
}
