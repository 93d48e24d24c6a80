using System.CommandLine;
using System.Globalization;
using Nas.Core.Costs;
using Nas.Core.Genotypes;
using Nas.Core.SearchSpaces;
using Nas.Latency.Costs;
using Nas.Latency.Tables;
using Nas.Search.Costs;
using Spectre.Console;

namespace Nas.Cli.Commands;

/// <summary><c>nas arch sample</c>: random genotypes at a target table cost — the baseline a search must beat.</summary>
internal static class ArchSampleCommand
{
    public static IEnumerable<Command> Create(CliContext context)
    {
        var space = new Option<string>("--space") { Description = "small, large, xlarge or a space JSON file", DefaultValueFactory = _ => "small" };
        var table = new Option<string>("--table") { Description = "lookup table CSV (any metric: latency, MACs, ...) or the name of an analytic metric (macs, flops)", DefaultValueFactory = _ => "macs" };
        var input = CommonOptions.Input("256x512", "input size HxW (with a table file: the table's own unless given)");
        var classes = CommonOptions.HeadClasses();
        var target = new Option<double>("--target") { Description = "target cost in the metric's search unit (ms for latency, GMAC for MACs, GFLOP for FLOPs)", Required = true };
        var tolerance = new Option<double>("--tolerance") { Description = "relative band around the target", DefaultValueFactory = _ => 0.05 };
        var count = new Option<int>("--count") { Description = "number of distinct genotypes", DefaultValueFactory = _ => 10 };
        var seed = CommonOptions.Seed();
        var output = CommonOptions.OutputFile("folder for the genotype JSON files");
        var command = new Command("sample", "draw random genotypes whose table cost is within ±5% of a target (the random-search baseline)")
        {
            space, table, input, classes, target, tolerance, count, seed, output,
        };
        command.SetNasAction(context, parse =>
        {
            SearchSpace s = SearchSpaceCatalog.Resolve(parse.GetValue(space)!);
            string tableArg = parse.GetValue(table)!;
            CostMetric? analytic = CostMetrics.TryAnalytic(tableArg);

            // A table's metric (its unit) and input size come from its metadata, never from its file name.
            InputSize size = analytic is null && !parse.Given(input) ? LookupTable.Load(tableArg).Input : CommonOptions.ParseSize(parse.GetValue(input)!, "--input");
            double tol = parse.GetValue(tolerance);
            if (!(tol > 0) || !(tol < 1))
            {
                throw new Core.NasException($"--tolerance must be a fraction in (0, 1), e.g. 0.05 for ±5 % (got {tol.ToString(CultureInfo.InvariantCulture)})");
            }

            ArchitectureCostModel costs = analytic is not null
                ? ArchitectureCostModel.Analytic(analytic, s, size, parse.GetValue(classes))
                : SearchCostModels.FromTable(tableArg, s, size);
            IReadOnlyList<Genotype> genotypes = new RandomArchitectureSampler(costs, parse.GetValue(seed))
                .Sample(parse.GetValue(target), parse.GetValue(count), tol);
            string dir = parse.GetValue(output)!;
            Directory.CreateDirectory(dir);
            var view = new Table().AddColumns("file", $"cost ({costs.Unit})", "genotype");
            for (int i = 0; i < genotypes.Count; i++)
            {
                double cost = costs.Cost(genotypes[i]);
                string file = Path.Combine(dir, $"random-{i:D3}.json");
                GenotypeFile.Save(file, new NamedGenotype($"random-{i:D3}", genotypes[i], parse.GetValue(classes))
                {
                    Predicted = PredictedCosts.For(genotypes[i], parse.GetValue(classes), costs),
                    Source = $"nas arch sample (target {parse.GetValue(target)} {costs.Unit}, seed {parse.GetValue(seed)})",
                });
                view.AddRow(Path.GetFileName(file), cost.ToString("G4", CultureInfo.InvariantCulture), Markup.Escape(genotypes[i].CanonicalString));
            }

            context.Console.Write(view);
            return 0;
        });
        return [command];
    }
}
