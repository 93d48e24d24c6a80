namespace Nas.Cli.Demo;

/// <summary><c>demo-results.json</c>: the plan, the latency table and every network's numbers.</summary>
public sealed record DemoSummary(DemoPlan Plan, string Table, IReadOnlyList<DemoNetworkResult> Networks, string CreatedUtc);
