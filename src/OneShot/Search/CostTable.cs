using Nas.Core;
using Nas.Core.Costs;
using Nas.Core.Evolution;
using Nas.Core.Genotypes;
using Nas.Core.SearchSpaces;
using Nas.Latency.Tables;

namespace Nas.OneShot.Search;

/// <summary>
/// A cost table as the one-shot tools use it: per (position, candidate) costs and the fixed cost in the table's own
/// unit — milliseconds with the table's calibration applied for latency tables, MACs for MAC tables — exactly the
/// numbers the table's prediction of a network adds up.
/// </summary>
public sealed record CostTable(string Name, CostMetric Metric, double[,] Blocks, double Fixed, string Source)
{
    /// <summary>The argument that selects the analytic MAC cost instead of a table file (any analytic metric's name works).</summary>
    public const string AnalyticMacs = "macs";

    /// <summary>The table's own unit (<c>ms</c>, <c>macs</c>, …).</summary>
    public string Unit => Metric.TableUnit;

    /// <summary>
    /// The name of an analytic metric (<c>macs</c>, <c>flops</c>: computed for the space at the input size) or a lookup table CSV, which must be for exactly this
    /// space, input size and class count (one-line errors otherwise).
    /// </summary>
    public static CostTable Load(string spec, SearchSpace space, InputSize input, int classes)
    {
        LookupTable table;
        string name;
        if (CostMetrics.TryAnalytic(spec) is CostMetric analytic)
        {
            table = AnalyticTableBuilder.Build(analytic, space, input, classes);
            name = analytic.Name;
        }
        else
        {
            table = LookupTable.Load(spec, space, input);
            name = Path.GetFileName(spec);
            if (table.Metadata.Classes != classes)
            {
                throw new NasException($"{spec}: the table was built for a head with {table.Metadata.Classes} classes, the supernet has {classes}; rebuild it with --classes {classes}");
            }
        }

        (double[,] blocks, double fixedCost) = table.CostMatrix(space);
        string source = $"{name} ({table.Metadata.Runtime}{(table.Metadata.Provider is string p ? "/" + p : string.Empty)}{(table.Metadata.CalibrationSlope is not null ? ", calibrated" : string.Empty)})";
        return new CostTable(name, table.Metric, blocks, fixedCost, source);
    }

    /// <summary>The key of this table's prediction in a genotype file's <c>predicted</c> map.</summary>
    public string PredictedKey => Metric.PredictedKey;

    public CostConstraint ToConstraint(double limit) => new(Name, Unit, Blocks, Fixed, limit);

    public double Cost(IReadOnlyList<int> ops) => ToConstraint(double.MaxValue).Cost(ops);

    public double Cost(Genotype genotype) => Cost(genotype.CandidateIndices);
}
