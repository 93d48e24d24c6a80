using Nas.Core;
using Nas.Core.SearchSpaces;
using Nas.Latency.Costs;
using Nas.Latency.Tables;

namespace Nas.Search.Costs;

/// <summary>Builds the search's cost model from the <c>--cost</c> / <c>--table</c> options.</summary>
public static class SearchCostModels
{
    public static ArchitectureCostModel Create(string cost, string? table, SearchSpace space, InputSize input, int classes)
    {
        switch (cost.ToLowerInvariant())
        {
            case "macs":
                return table is null ? ArchitectureCostModel.FromMacs(space, input, classes) : FromTable(table, space, input, "macs");
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

    /// <summary>A MAC table (costs in GMAC) or a latency table (ms), validated against the space and input size.</summary>
    public static ArchitectureCostModel FromTable(string path, SearchSpace space, InputSize input, string unit)
    {
        LookupTable table = LookupTable.Load(path, space, input);
        if (table.Unit != unit)
        {
            throw new NasException($"{path}: is a '{table.Unit}' table; --cost {(unit == "ms" ? "latency" : "macs")} needs a '{unit}' table");
        }

        return Build(table, path, space, input);
    }

    /// <summary>A table of either kind, in the unit its metadata records (<c>TABLE.meta.json</c> 'unit': macs or ms).</summary>
    public static ArchitectureCostModel FromTable(string path, SearchSpace space, InputSize input) =>
        Build(LookupTable.Load(path, space, input), path, space, input);

    private static ArchitectureCostModel Build(LookupTable table, string path, SearchSpace space, InputSize input)
    {
        string unit = table.Unit;
        (double[,] blocks, double fixedCost) = table.CostMatrix(space);
        double scale = unit == "macs" ? 1e-9 : 1.0;
        if (scale != 1.0)
        {
            for (int p = 0; p < blocks.GetLength(0); p++)
            {
                for (int k = 0; k < blocks.GetLength(1); k++)
                {
                    blocks[p, k] *= scale;
                }
            }
        }

        string source = $"{Path.GetFileName(path)} ({table.Metadata.Runtime}{(table.Metadata.Provider is string pr ? "/" + pr : string.Empty)})";
        return new ArchitectureCostModel(space, input, blocks, fixedCost * scale, unit == "macs" ? "GMAC" : "ms", source);
    }
}
