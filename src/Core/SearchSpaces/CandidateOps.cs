namespace Nas.Core.SearchSpaces;

/// <summary>The 13 SqueezeNAS candidates in the official order, and parsing of op names through the op-kind registry.</summary>
public static class CandidateOps
{
    /// <summary>The 13 candidates of <c>SQUEEZENAS_SEARCH_SPACE</c> (index = position in the architecture logits).</summary>
    public static IReadOnlyList<CandidateOp> SqueezeNas { get; } =
    [
        CandidateOp.InvertedResidual(3, 1, 1),
        CandidateOp.InvertedResidual(3, 1, 2),
        CandidateOp.InvertedResidual(3, 3, 1),
        CandidateOp.InvertedResidual(3, 6, 1),
        CandidateOp.InvertedResidual(5, 1, 1),
        CandidateOp.InvertedResidual(5, 1, 2),
        CandidateOp.InvertedResidual(5, 3, 1),
        CandidateOp.InvertedResidual(5, 6, 1),
        CandidateOp.InvertedResidual(3, 1, 1, 2),
        CandidateOp.InvertedResidual(3, 1, 2, 2),
        CandidateOp.InvertedResidual(3, 3, 1, 2),
        CandidateOp.InvertedResidual(3, 6, 1, 2),
        CandidateOp.Skip,
    ];

    /// <summary>
    /// Parses a canonical name (<c>k3_e1_g2</c>, <c>k3_e6_g1_d2_se_hswish</c>, <c>skip</c>) or the official repository's
    /// name (<c>inverse_residual_k3_e1_g2</c>, <c>residual_skipish</c>). Whether a space allows the op is the space's business.
    /// </summary>
    public static CandidateOp Parse(string name)
    {
        if (TryParse(name, out CandidateOp? op))
        {
            return op;
        }

        throw new NasException(
            $"unknown candidate op '{name}': expected one of {string.Join(", ", SqueezeNas.Select(o => o.Name))} (or any {CandidateOpKinds.Grammar})");
    }

    public static bool TryParse(string? name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CandidateOp? op)
    {
        op = null;
        if (string.IsNullOrWhiteSpace(name))
        {
            return false;
        }

        string text = name.Trim();
        foreach (ICandidateOpKind kind in CandidateOpKinds.All)
        {
            if (kind.TryParse(text, out op))
            {
                return true;
            }
        }

        return false;
    }
}
