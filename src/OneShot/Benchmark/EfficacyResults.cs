using Nas.OneShot.Ranking;

namespace Nas.OneShot.Benchmark;

/// <summary><c>results.json</c> of the efficacy benchmark: the plan, the cost table, every retrained network, stage costs and the ranking check.</summary>
public sealed record EfficacyResults(
    EfficacyPlan Plan,
    string Table,
    string Unit,
    IReadOnlyList<double> Targets,
    IReadOnlyList<EfficacyNetwork> Networks,
    IReadOnlyList<EfficacyStage> Stages,
    RankSummary? Rank,
    string CreatedUtc);
