using System.Globalization;
using System.Text.RegularExpressions;

namespace Nas.Core.SearchSpaces;

/// <summary>The registry of candidate operations: the 13 SqueezeNAS candidates, in the official order.</summary>
public static partial class CandidateOps
{
    private const string OfficialPrefix = "inverse_residual_";
    private const string OfficialSkipName = "residual_skipish";

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
    /// Parses a canonical name (<c>k3_e1_g2</c>, <c>k3_e6_g1_d2</c>, <c>skip</c>) or the official repository's
    /// name (<c>inverse_residual_k3_e1_g2</c>, <c>residual_skipish</c>). Any kernel/expansion/groups/dilation
    /// combination of that pattern is a valid op; whether a space allows it is the space's business.
    /// </summary>
    public static CandidateOp Parse(string name)
    {
        if (TryParse(name, out CandidateOp? op))
        {
            return op;
        }

        throw new NasException(
            $"unknown candidate op '{name}': expected one of {string.Join(", ", SqueezeNas.Select(o => o.Name))} " +
            "(or any k<kernel>_e<expansion>_g<groups>[_d<dilation>])");
    }

    public static bool TryParse(string? name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CandidateOp? op)
    {
        op = null;
        if (string.IsNullOrWhiteSpace(name))
        {
            return false;
        }

        string text = name.Trim();
        if (text is CandidateOp.SkipName or OfficialSkipName)
        {
            op = CandidateOp.Skip;
            return true;
        }

        if (text.StartsWith(OfficialPrefix, StringComparison.Ordinal))
        {
            text = text[OfficialPrefix.Length..];
        }

        Match m = OpPattern().Match(text);
        if (!m.Success)
        {
            return false;
        }

        int kernel = Int(m.Groups["k"].Value);
        int expansion = Int(m.Groups["e"].Value);
        int groups = Int(m.Groups["g"].Value);
        int dilation = m.Groups["d"].Success ? Int(m.Groups["d"].Value) : 1;
        if (kernel < 1 || kernel % 2 == 0 || expansion < 1 || groups < 1 || dilation < 1)
        {
            return false;
        }

        op = CandidateOp.InvertedResidual(kernel, expansion, groups, dilation);
        return true;
    }

    private static int Int(string s) => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^k(?<k>\d{1,2})_e(?<e>\d{1,2})_g(?<g>\d{1,3})(_d(?<d>\d{1,2}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex OpPattern();
}
