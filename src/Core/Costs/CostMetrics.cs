namespace Nas.Core.Costs;

/// <summary>The registry of cost metrics: every metric Nas knows, looked up by its <c>--cost</c> name or its table unit.</summary>
public static class CostMetrics
{
    public static CostMetric Latency { get; } = new LatencyMetric();

    public static CostMetric Macs { get; } = new MacMetric();

    public static CostMetric Flops { get; } = new FlopMetric();

    public static IReadOnlyList<CostMetric> All { get; } = [Latency, Macs, Flops];

    /// <summary>The metric named <paramref name="name"/> (as <c>--cost</c> takes it); a one-line error naming the option and the known names otherwise.</summary>
    public static CostMetric FromName(string name, string option = "--cost") =>
        All.FirstOrDefault(m => m.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new NasException($"unknown {option} '{name}': expected {string.Join(", ", All.Select(m => m.Name))}");

    /// <summary>The analytic metric named <paramref name="name"/> (<c>macs</c>, <c>flops</c>), or null when the name is not one (e.g. a table file).</summary>
    public static CostMetric? TryAnalytic(string name) =>
        All.FirstOrDefault(m => m.IsAnalytic && m.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The metric whose tables record <paramref name="unit"/>; the error names <paramref name="where"/> (a file and key).</summary>
    public static CostMetric FromTableUnit(string unit, string where) =>
        All.FirstOrDefault(m => m.TableUnit == unit)
        ?? throw new NasException($"{where}: 'unit' must be {string.Join(", ", All.Select(m => m.TableUnit))} (got '{unit}')");
}
