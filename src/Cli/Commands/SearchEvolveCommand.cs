using System.CommandLine;
using System.Globalization;
using Nas.Core;
using Nas.Core.Evolution;
using Nas.Core.IO;
using Nas.OneShot.Search;
using Spectre.Console;

namespace Nas.Cli.Commands;

/// <summary><c>nas search evolve</c>: constrained evolutionary (NSGA-II) search on a trained supernet.</summary>
internal static class SearchEvolveCommand
{
    public static Command Create(CliContext context)
    {
        var config = new Option<string>("--config") { Description = "JSON config (the schema of a search folder's config.json); command-line options override it" };
        var supernet = new Option<string>("--supernet") { Description = "checkpoint of 'nas supernet train' (RUN/checkpoints/last.ckpt)" };
        var tables = new Option<string[]>("--table") { Description = "lookup table CSV of the supernet's space and input, or macs (analytic); repeat for several limits", AllowMultipleArgumentsPerToken = false };
        var maxCosts = new Option<double[]>("--max-cost") { Description = "largest allowed cost in the table's unit (ms with its calibration, MACs for MAC tables); one per --table, in order", AllowMultipleArgumentsPerToken = false };
        var population = new Option<int?>("--population") { Description = "individuals per generation (default 16)" };
        var generations = new Option<int?>("--generations") { Description = "generations after the random start (default 10)" };
        var mutation = new Option<double?>("--mutation-prob") { Description = "per-position mutation probability (default 0.1)" };
        var crossover = new Option<double?>("--crossover-prob") { Description = "probability that a child is a crossover of two parents (default 0.5)" };
        var objectives = new Option<string>("--objectives") { Description = "miou (best network under the limits) or miou,latency (NSGA-II Pareto front over mIoU and the first table's cost) (default miou)", HelpName = "miou|miou,latency" };
        var strategy = new Option<SearchStrategyKind?>("--strategy") { Description = "how new networks are proposed: evolution (mutation and crossover) or random (fresh random networks under the limits; the baseline) (default evolution)" };
        var seed = new Option<int?>("--seed") { Description = "random seed (default 0)" };
        var space = new Option<string>("--space") { Description = "check that the supernet is of this space (small, large, xlarge or a space JSON file)" };
        var bnBatches = new Option<int?>("--bn-batches") { Description = "training batches for the BatchNorm re-estimation of each candidate (default 8)" };
        var noBn = new Option<bool>("--no-bn-reestimation") { Description = "score with the supernet's shared BatchNorm statistics (only to see why re-estimation is needed)" };
        var evalImages = new Option<int?>("--eval-images") { Description = "held-out images to score on (default 0 = all)" };
        var root = new Option<string>("--root") { Description = "dataset folder, when the data has moved since the supernet was trained" };
        var cache = new Option<string>("--eval-cache") { Description = "evaluation cache file shared between searches on the same supernet (default DIR/evaluations.json)" };
        var threads = new Option<int?>("--threads") { Description = "TorchSharp threads (default 2)" };
        var output = SupernetCommands.Output("search folder (genotype.json, front.csv, front/, plots/front.png, population.json)");
        var resume = new Option<bool>("--resume") { Description = "continue an interrupted search from its last completed generation (cached evaluations are reused)" };
        var force = new Option<bool>("--force") { Description = "overwrite a folder that holds a different search" };
        var command = new Command("evolve", "constrained evolutionary search on a trained supernet: no returned network exceeds any --max-cost; NSGA-II Pareto front with --objectives miou,latency")
        {
            config, supernet, tables, maxCosts, population, generations, mutation, crossover, objectives, strategy, seed, space, bnBatches, noBn, evalImages, root, cache, threads, output, resume, force,
        };
        command.SetNasAction(context, (parse, token) =>
        {
            EvolveConfig c = parse.GetValue(config) is string file ? NasJson.ReadFile<EvolveConfig>(file) : new EvolveConfig();
            if (parse.Given(tables) || parse.Given(maxCosts))
            {
                string[] t = parse.GetValue(tables) ?? [];
                double[] m = parse.GetValue(maxCosts) ?? [];
                if (t.Length != m.Length)
                {
                    throw new NasException($"give one --max-cost per --table (got {t.Length} table(s) and {m.Length} limit(s))");
                }

                c = c with { Limits = t.Zip(m, (table, max) => new CostLimit(table, max)).ToArray() };
            }

            EvolutionOptions e = c.Evolution;
            e = e with
            {
                Population = parse.Pick(population, e.Population),
                Generations = parse.Pick(generations, e.Generations),
                MutationProb = parse.Pick(mutation, e.MutationProb),
                CrossoverProb = parse.Pick(crossover, e.CrossoverProb),
                Objectives = parse.Given(objectives) ? ParseObjectives(parse.GetValue(objectives)!) : e.Objectives,
                Strategy = parse.Pick(strategy, e.Strategy),
                Seed = parse.Pick(seed, e.Seed),
            };
            c = c with
            {
                Supernet = parse.Pick(supernet, c.Supernet),
                Space = parse.Given(space) ? parse.GetValue(space) : c.Space,
                BnBatches = parse.Pick(bnBatches, c.BnBatches),
                ReestimateBn = parse.Given(noBn) ? !parse.GetValue(noBn) : c.ReestimateBn,
                EvalImages = parse.Pick(evalImages, c.EvalImages),
                Root = parse.Given(root) ? parse.GetValue(root) : c.Root,
                EvalCache = parse.Given(cache) ? parse.GetValue(cache) : c.EvalCache,
                Threads = parse.Pick(threads, c.Threads),
                Evolution = e,
            };
            string outDir = parse.GetValue(output)!;
            EvolveResult result = context.WithProgress("evolve", p =>
                EvolveWorkflow.Run(c, outDir, parse.GetValue(resume), parse.GetValue(force), context.LoggerFactory, p, token));
            string Costs(EvolvedNetwork n) => string.Join(", ", n.Costs.Select((v, i) => string.Create(CultureInfo.InvariantCulture, $"{v:G5} {result.Units[i]}")));
            context.Console.MarkupLine($"[bold]best genotype[/]: {Markup.Escape(result.Best.Genotype.Genotype.CanonicalString)}");
            context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"inherited mIoU {result.Best.Miou:P2}; {Costs(result.Best)}; {result.Evaluations} networks evaluated"));
            if (c.Evolution.Objectives == EvolutionObjectives.MiouLatency)
            {
                string[] columns = ["front member", "inherited mIoU", .. result.TableNames.Select((n, i) => $"{n} ({result.Units[i]})")];
                var view = new Table().AddColumns(columns);
                foreach (EvolvedNetwork n in result.Front)
                {
                    string[] cells = [n.Genotype.Name, n.Miou.ToString("P2", CultureInfo.InvariantCulture), .. n.Costs.Select(v => v.ToString("G5", CultureInfo.InvariantCulture))];
                    view.AddRow(cells);
                }

                context.Console.Write(view);
            }

            context.Console.WriteLine($"written to {Path.Combine(Path.GetFullPath(outDir), "genotype.json")}");
            return Task.FromResult(0);
        });
        return command;
    }

    internal static EvolutionObjectives ParseObjectives(string text) =>
        text.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant() switch
        {
            "miou" => EvolutionObjectives.Miou,
            "miou,latency" or "miou,cost" or "miou-latency" => EvolutionObjectives.MiouLatency,
            _ => throw new NasException($"--objectives '{text}' is not valid: expected miou or miou,latency"),
        };
}
