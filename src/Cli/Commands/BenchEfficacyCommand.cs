using System.CommandLine;
using System.Globalization;
using Nas.Core;
using Nas.Core.IO;
using Nas.Data.Synthetic;
using Nas.OneShot.Benchmark;
using Spectre.Console;

namespace Nas.Cli.Commands;

/// <summary><c>nas bench efficacy</c>: differentiable vs evolutionary search vs random networks at equal cost, retrained with one budget.</summary>
internal static class BenchEfficacyCommand
{
    public static Command Create(CliContext context)
    {
        var plan = new Option<string>("--plan") { Description = "quick (minutes), full (the documented run, hours on 2 cores) or a plan JSON file (the schema of DIR/plan.json)", DefaultValueFactory = _ => "quick" };
        var scenes = KebabEnum.Option<SyntheticDifficulty>("--scenes", "synthetic scenes: standard or hard (default: the plan's)");
        var seeds = new Option<string>("--seeds") { Description = "comma-separated seeds (default: the plan's)" };
        var targets = new Option<string>("--targets") { Description = "comma-separated targets as fractions of the cost range, e.g. 0.25,0.45,0.65 (default: the plan's)" };
        var table = new Option<string>("--table") { Description = "macs, profile (measure an ORT latency table here) or a lookup table CSV of the Small space at the plan's input (default: the plan's)" };
        var measure = new Option<bool?>("--measure") { Description = "time every retrained network end to end with ONNX Runtime (default: the plan's)" };
        var output = SupernetCommands.Output("benchmark folder (efficacy.md, results.json, plots/, one folder per seed and stage)");
        var resume = new Option<bool>("--resume") { Description = "continue an interrupted benchmark (finished stages are kept)" };
        var command = new Command("efficacy", "does searching beat sampling? differentiable search, evolutionary search on one shared supernet and random networks at equal cost, each retrained with the same budget")
        {
            plan, scenes, seeds, targets, table, measure, output, resume,
        };
        command.SetNasAction(context, (parse, token) =>
        {
            string name = parse.GetValue(plan)!;
            EfficacyPlan p = name.ToLowerInvariant() switch
            {
                "quick" => EfficacyPlan.Quick,
                "full" => EfficacyPlan.Full,
                _ => NasJson.ReadFile<EfficacyPlan>(name),
            };
            p = p with
            {
                Scenes = parse.Pick(scenes, p.Scenes),
                Seeds = parse.Given(seeds) ? ParseList(parse.GetValue(seeds)!, "--seeds", s => int.Parse(s, CultureInfo.InvariantCulture)) : p.Seeds,
                TargetFractions = parse.Given(targets) ? ParseList(parse.GetValue(targets)!, "--targets", s => double.Parse(s, CultureInfo.InvariantCulture)) : p.TargetFractions,
                Table = parse.Given(table) ? parse.GetValue(table)! : p.Table,
                Measure = parse.Pick(measure, p.Measure),
            };
            string outDir = parse.GetValue(output)!;
            EfficacyResults results = context.WithProgress("efficacy", progress =>
                new EfficacyBenchmark(p, outDir, context.LoggerFactory, progress).Run(parse.GetValue(resume), token));
            context.Console.WriteLine($"{results.Networks.Count} networks retrained; summary: {Path.Combine(Path.GetFullPath(outDir), "efficacy.md")}");
            return Task.FromResult(0);
        });
        return command;
    }

    private static T[] ParseList<T>(string text, string option, Func<string, T> parse)
    {
        try
        {
            return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(parse).ToArray();
        }
        catch (FormatException)
        {
            throw new NasException($"{option} '{text}' is not a comma-separated list of numbers");
        }
    }
}
