using Nas.Core;
using Nas.Core.SearchSpaces;

namespace Nas.Search.Costs;

/// <summary>Builds the search's cost model from the <c>--cost</c> / <c>--table</c> options.</summary>
public static class SearchCostModels
{
    public static SearchCostModel Create(string cost, string? table, SearchSpace space, InputSize input, int classes)
    {
        switch (cost.ToLowerInvariant())
        {
            case "macs":
                return table is null ? SearchCostModel.FromMacs(space, input, classes) : FromTable(table, space, input, "macs");
            case "latency":
                if (table is null)
                {
                    throw new NasException("--cost latency needs --table TABLE.csv (measure one with 'nas lut profile' or on a device with 'nas lut kit' / 'nas lut run-kit')");
                }

                return FromTable(table, space, input, "ms");
            default:
                throw new NasException($"unknown --cost '{cost}': expected macs or latency");
        }
    }

    private static SearchCostModel FromTable(string table, SearchSpace space, InputSize input, string unit) =>
        throw new NasException($"lookup table '{table}' cannot be read yet: table support lands with the latency tools ({unit}, {space.Name}, {input})");
}
