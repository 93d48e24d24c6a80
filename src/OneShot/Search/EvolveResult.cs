namespace Nas.OneShot.Search;

/// <summary>The outcome of <c>nas search evolve</c>: the best network, the Pareto front of everything evaluated, and the tables' names and units.</summary>
public sealed record EvolveResult(
    EvolvedNetwork Best,
    IReadOnlyList<EvolvedNetwork> Front,
    IReadOnlyList<string> TableNames,
    IReadOnlyList<string> Units,
    int Evaluations,
    int CachedEvaluations);
