using System.CommandLine;
using System.Globalization;
using Nas.Core.Genotypes;
using Nas.Core.SearchSpaces;
using Nas.Latency.Costs;
using Nas.Search.Costs;
using Spectre.Console;

namespace Nas.Cli.Commands;

/// <summary><c>nas arch sample</c>: random genotypes at a target table cost — the baseline a search must beat.</summary>
internal static class ArchSampleCommand
{
    public static IEnumerable<Command> Create(CliContext context)
    {
        var space = new Option<string>("--space") { Description = "small, large, xlarge or a space JSON file", DefaultValueFactory = _ => "small" };
        var table = new Option<string>("--table") { Description = "lookup table CSV (latency or MACs); 'macs' = the analytic MAC cost", DefaultValueFactory = _ => "macs" };
        var input = CommonOptions.Input("256x512", "input size HxW (for --table macs)");
        var classes = new Option<int>("--classes") { Description = "class count of the head", DefaultValueFactory = _ => 19 };
        var target = new Option<double>("--target") { Description = "target cost in the table's unit (GMAC or ms)", Required = true };
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
            InputSize size = CommonOptions.ParseSize(parse.GetValue(input)!, "--input");
            string tableArg = parse.GetValue(table)!;
            ArchitectureCostModel costs = tableArg.Equals("macs", StringComparison.OrdinalIgnoreCase)
                ? ArchitectureCostModel.FromMacs(s, size, parse.GetValue(classes))
                : SearchCostModels.Create(tableArg.Contains("macs", StringComparison.OrdinalIgnoreCase) ? "macs" : "latency", tableArg, s, size, parse.GetValue(classes));
            IReadOnlyList<Genotype> genotypes = new RandomArchitectureSampler(costs, parse.GetValue(seed))
                .Sample(parse.GetValue(target), parse.GetValue(count), parse.GetValue(tolerance));
            string dir = parse.GetValue(output)!;
            Directory.CreateDirectory(dir);
            var view = new Table().AddColumns("file", $"cost ({costs.Unit})", "genotype");
            for (int i = 0; i < genotypes.Count; i++)
            {
                double cost = costs.Cost(genotypes[i]);
                string file = Path.Combine(dir, $"random-{i:D3}.json");
                GenotypeFile.Save(file, new NamedGenotype($"random-{i:D3}", genotypes[i], parse.GetValue(classes))
                {
                    Predicted = new Dictionary<string, double> { [costs.Unit == "ms" ? "latency_ms" : "gmacs"] = cost },
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
