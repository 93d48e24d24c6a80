namespace Nas.Core.SearchSpaces;

/// <summary>The registry of candidate-op kinds, in parse order.</summary>
public static class CandidateOpKinds
{
    public static IReadOnlyList<ICandidateOpKind> All { get; } = [SkipOpKind.Instance, InvertedResidualOpKind.Instance];

    public static string Grammar => string.Join(" | ", All.Select(k => k.Grammar));
}
