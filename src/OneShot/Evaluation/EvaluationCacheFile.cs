namespace Nas.OneShot.Evaluation;

/// <summary>
/// <c>evaluations.json</c>: the inherited-weight scores of every genotype evaluated so far, valid only for the
/// supernet and evaluation settings named by <see cref="Fingerprint"/>.
/// </summary>
public sealed record EvaluationCacheFile
{
    public required string Fingerprint { get; init; }

    public required IReadOnlyList<CachedEvaluation> Entries { get; init; }
}
