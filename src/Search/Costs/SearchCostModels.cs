using Nas.Core;
using Nas.Core.Costs;
using Nas.Core.SearchSpaces;
using Nas.Latency.Costs;
using Nas.Latency.Tables;

namespace Nas.Search.Costs;

/// <summary>Builds the search's cost model from the <c>--cost</c> / <c>--table</c> options.</summary>
public static class SearchCostModels
{
    public static ArchitectureCostModel Create(string cost, string? table, SearchSpace space, InputSize input, int classes)
    {
        CostMetric metric = CostMetrics.FromName(cost);
        if (table is not null)
        {
            return FromTable(table, space, input, metric);
        }

        return metric.IsAnalytic
            ? ArchitectureCostModel.Analytic(metric, space, input, classes)
            : throw new NasException($"--cost {metric.Name} needs --table TABLE.csv (measure one with 'nas lut profile' or on a device with 'nas lut kit' / 'nas lut run-kit')");
    }

    /// <summary>A table of <paramref name="metric"/>, validated against the space and input size, in the metric's search unit.</summary>
    public static ArchitectureCostModel FromTable(string path, SearchSpace space, InputSize input, CostMetric metric)
    {
        LookupTable table = LookupTable.Load(path, space, input);
        if (table.Metric != metric)
        {
            throw new NasException($"{path}: is a '{table.Unit}' table; --cost {metric.Name} needs a '{metric.TableUnit}' table");
        }

        return Build(table, path, space, input);
    }

    /// <summary>A table of any metric, the one its metadata records (<c>TABLE.meta.json</c> 'unit').</summary>
    public static ArchitectureCostModel FromTable(string path, SearchSpace space, InputSize input) =>
        Build(LookupTable.Load(path, space, input), path, space, input);

    private static ArchitectureCostModel Build(LookupTable table, string path, SearchSpace space, InputSize input) =>
        ArchitectureCostModel.FromTable(table, space, input, $"{Path.GetFileName(path)} ({table.Metadata.Runtime}{(table.Metadata.Provider is string pr ? "/" + pr : string.Empty)})");
}
