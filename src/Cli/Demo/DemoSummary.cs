using Nas.Latency.Fidelity;

namespace Nas.Cli.Demo;

/// <summary><c>demo-results.json</c>: the plan and its sizing, the data used, the latency table and its calibration, the targets, every network's numbers and every stage's wall time.</summary>
/// <param name="Calibration">The calibration check of the table (null when the table was given calibrated).</param>
/// <param name="TotalSeconds">Sum of the stages' wall times.</param>
public sealed record DemoSummary(
    DemoPlan Plan,
    DemoSizing Sizing,
    DemoDataUse Data,
    string Table,
    CalibrationAssessment? Calibration,
    DemoTargets Targets,
    IReadOnlyList<DemoNetworkResult> Networks,
    IReadOnlyList<DemoStageTime> Stages,
    double TotalSeconds,
    string CreatedUtc)
{
    /// <summary>True when the stages together took longer than the budget.</summary>
    public bool OverBudget => TotalSeconds > Plan.Budget.TotalSeconds;
}
