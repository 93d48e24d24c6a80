using System.CommandLine;
using Nas.Core;
using Nas.Core.Costs;
using Nas.Core.IO;
using Nas.Search;
using Nas.Search.Losses;
using Nas.Search.Runs;
using Nas.Search.Temperature;
using Spectre.Console;

namespace Nas.Cli.Commands;

/// <summary><c>nas search</c>: the hardware-aware architecture search.</summary>
internal static class SearchCommand
{
    public static Command Create(CliContext context)
    {
        var d = new SearchRunConfig();
        SearchOptions ds = d.Search;
        var config = new Option<string>("--config") { Description = "JSON config (the schema of a run's config.json); command-line options override it" };
        var space = new Option<string>("--space") { Description = "small, large, xlarge or a space JSON file", DefaultValueFactory = _ => d.Space };
        var input = new Option<string>("--input") { Description = "search input (crop) size HxW; must match the table", DefaultValueFactory = _ => d.Data.Crop };
        var cost = new Option<string>("--cost") { Description = $"cost metric: {string.Join(", ", CostMetrics.All.Select(m => $"{m.Name} ({m.SearchUnit}{(m.IsAnalytic ? ", computed" : ", from --table")})"))}", HelpName = string.Join('|', CostMetrics.All.Select(m => m.Name)), DefaultValueFactory = _ => d.Cost };
        var table = new Option<string>("--table") { Description = "lookup table CSV (required with --cost latency)" };
        var loss = KebabEnum.Option("--loss", "additive (CE + λ·cost), fbnet (CE·α·log(cost)^β) or target (CE + λ·max(0, cost/target − 1))", ds.Loss);
        var lambda = new Option<double>("--lambda") { Description = "λ of the additive/target loss, per cost unit", DefaultValueFactory = _ => ds.Lambda };
        var alpha = new Option<double>("--alpha") { Description = "α of the fbnet loss", DefaultValueFactory = _ => ds.Alpha };
        var beta = new Option<double>("--beta") { Description = "β of the fbnet loss", DefaultValueFactory = _ => ds.Beta };
        var target = new Option<double?>("--target") { Description = "target cost of the target loss, in GMAC or ms" };
        var mode = KebabEnum.Option("--mode", "soft (all candidates) or single-path (one sampled candidate)", ds.Mode);
        var contrast = new Option<int>("--contrast-paths") { Description = "single-path: extra candidates run without gradient so every position learns", DefaultValueFactory = _ => ds.ContrastPaths };
        var epochs = new Option<int>("--epochs") { Description = "search epochs", DefaultValueFactory = _ => ds.Epochs };
        var warmup = new Option<int>("--warmup-epochs") { Description = "weight-only epochs before the logits are trained", DefaultValueFactory = _ => ds.WarmupEpochs };
        var archSplit = new Option<double>("--arch-split") { Description = "share of the training split for the architecture updates", DefaultValueFactory = _ => d.ArchSplit };
        var weightLr = new Option<double>("--weight-lr") { Description = "SGD learning rate of the weights", DefaultValueFactory = _ => ds.WeightLr };
        var archLr = new Option<double>("--arch-lr") { Description = "Adam learning rate of the logits", DefaultValueFactory = _ => ds.ArchLr };
        var tauSchedule = KebabEnum.Option("--tau-schedule", "exponential (FBNet) or linear", ds.TemperatureSchedule);
        var tauStart = new Option<double>("--tau-start") { Description = "initial Gumbel temperature", DefaultValueFactory = _ => ds.TauStart };
        var tauEnd = new Option<double>("--tau-end") { Description = "final (linear) / minimum (exponential) temperature", DefaultValueFactory = _ => ds.TauEnd };
        var tauDecay = new Option<double>("--tau-decay") { Description = "exponential decay per epoch", DefaultValueFactory = _ => ds.TauDecay };
        var deriveSamples = new Option<int>("--derive-samples") { Description = "0 = argmax genotype; K = most probable of K Gumbel samples", DefaultValueFactory = _ => ds.DeriveSamples };
        var seed = new Option<int>("--seed") { Description = "random seed", DefaultValueFactory = _ => ds.Seed };
        var threads = new Option<int>("--threads") { Description = "TorchSharp threads", DefaultValueFactory = _ => d.Threads };
        var output = CommonOptions.OutputFile("run folder");
        var resume = new Option<bool>("--resume") { Description = "continue the run in --output exactly where its last checkpoint left it" };
        var force = new Option<bool>("--force") { Description = "overwrite a run folder that holds a different run" };
        var data = new DataOptions();
        var command = new Command("search", "differentiable hardware-aware architecture search with MAC or latency costs")
        {
            config, space, input, cost, table, loss, lambda, alpha, beta, target, mode, contrast, epochs, warmup, archSplit,
            weightLr, archLr, tauSchedule, tauStart, tauEnd, tauDecay, deriveSamples, seed, threads, output, resume, force,
        };
        foreach (Option o in data.All)
        {
            command.Options.Add(o);
        }

        command.Subcommands.Add(SearchEvolveCommand.Create(context));

        command.SetNasAction(context, (parse, token) =>
        {
            SearchRunConfig c = parse.GetValue(config) is string file ? NasJson.ReadFile<SearchRunConfig>(file) : new SearchRunConfig();
            SearchOptions s = c.Search;
            s = s with
            {
                Loss = parse.PickEnum(loss, s.Loss),
                Lambda = parse.Pick(lambda, s.Lambda),
                Alpha = parse.Pick(alpha, s.Alpha),
                Beta = parse.Pick(beta, s.Beta),
                Target = parse.Pick(target, s.Target),
                Mode = parse.PickEnum(mode, s.Mode),
                ContrastPaths = parse.Pick(contrast, s.ContrastPaths),
                Epochs = parse.Pick(epochs, s.Epochs),
                WarmupEpochs = parse.Pick(warmup, s.WarmupEpochs),
                WeightLr = parse.Pick(weightLr, s.WeightLr),
                ArchLr = parse.Pick(archLr, s.ArchLr),
                TemperatureSchedule = parse.PickEnum(tauSchedule, s.TemperatureSchedule),
                TauStart = parse.Pick(tauStart, s.TauStart),
                TauEnd = parse.Pick(tauEnd, s.TauEnd),
                TauDecay = parse.Pick(tauDecay, s.TauDecay),
                DeriveSamples = parse.Pick(deriveSamples, s.DeriveSamples),
                Seed = parse.Pick(seed, s.Seed),
            };
            if (s.Loss == ResourceLossKind.Target && !(s.Target > 0))
            {
                throw new NasException("--loss target needs --target (the cost to stay under, in GMAC or ms)");
            }

            c = c with
            {
                Space = parse.Pick(space, c.Space),
                Cost = parse.Pick(cost, c.Cost),
                Table = parse.Given(table) ? parse.GetValue(table) : c.Table,
                ArchSplit = parse.Pick(archSplit, c.ArchSplit),
                Threads = parse.Pick(threads, c.Threads),
                Data = data.Merge(parse, c.Data) with { Crop = parse.Pick(input, c.Data.Crop) },
                Search = s,
            };
            string outDir = parse.GetValue(output)!;
            SearchResult result = context.WithProgress("search", p =>
                SearchWorkflow.Run(c, outDir, parse.GetValue(resume), parse.GetValue(force), context.LoggerFactory, p, token));
            context.Console.MarkupLine($"[bold]derived genotype[/]: {Markup.Escape(result.Genotype.Genotype.CanonicalString)}");
            context.Console.WriteLine($"table cost {result.Cost:G4} {result.CostUnit}; written to {Path.Combine(Path.GetFullPath(outDir), "genotype.json")}");
            return Task.FromResult(0);
        });
        return command;
    }
}
