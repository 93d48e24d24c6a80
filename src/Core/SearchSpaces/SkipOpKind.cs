using Nas.Core.Graphs;
using Nas.Core.Graphs.Blocks;

namespace Nas.Core.SearchSpaces;

/// <summary>
/// The SqueezeNAS "skip" candidate (reference §1.3): the identity where stride is 1 and channels are equal (the official
/// Zero op plus the residual), FactorizedReduce at stride 2, and ReLU + 1×1 conv + BN where only the channels change.
/// Also accepts the official name <c>residual_skipish</c>.
/// </summary>
public sealed class SkipOpKind : ICandidateOpKind
{
    private const string OfficialName = "residual_skipish";

    private SkipOpKind()
    {
    }

    public static SkipOpKind Instance { get; } = new();

    public string Name => "skip";

    public string Grammar => "skip";

    public bool TryParse(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CandidateOp? op)
    {
        op = text is CandidateOp.SkipName or OfficialName ? CandidateOp.Skip : null;
        return op is not null;
    }

    public string? CheckAt(BlockPosition position, CandidateOp op) =>
        position.SkipKind == SkipKind.FactorizedReduce && position.OutChannels % 2 != 0
            ? "FactorizedReduce needs an even number of output channels"
            : null;

    public string Describe(BlockPosition position, CandidateOp op) => $"skip ({position.SkipKind})";

    public string Build(GraphBuilder builder, string input, BlockPosition position, CandidateOp op)
    {
        switch (position.SkipKind)
        {
            case SkipKind.Identity:
                return input;
            case SkipKind.FactorizedReduce:
                return FactorizedReduce.Build(builder, input, position.OutChannels);
            default:
                string r = builder.Relu("pre_relu", input);
                string y = builder.Conv("conv", r, position.OutChannels, 1, external: "op.op.1");
                return builder.BatchNorm("bn", y, external: "op.op.2");
        }
    }
}
