using System.CommandLine;
using System.Globalization;
using Nas.Core;
using Nas.Core.SearchSpaces;
using Nas.Data.Checking;
using Nas.Data.Datasets;
using Nas.Data.Synthetic;
using Spectre.Console;

namespace Nas.Cli.Commands;

/// <summary><c>nas data synth|check</c>: the synthetic rail-scene dataset and dataset-tree validation.</summary>
internal static class DataCommands
{
    public static Command Create(CliContext context)
    {
        var data = new Command("data", "generate synthetic rail scenes and validate dataset trees");
        data.Subcommands.Add(Synth(context));
        data.Subcommands.Add(Check(context));
        return data;
    }

    private static Command Synth(CliContext context)
    {
        var output = CommonOptions.OutputFile("output folder (written in the RailSem19 layout)");
        var count = new Option<int>("--count") { Description = "number of scenes", DefaultValueFactory = _ => 200 };
        var size = new Option<string>("--size") { Description = "image size HxW", DefaultValueFactory = _ => "256x512" };
        var seed = CommonOptions.Seed();
        var scenes = KebabEnum.Option("--scenes", "standard or hard (thin rails, look-alike cars and rail vehicles, guard rails, small distant objects, haze)", SyntheticDifficulty.Standard);
        var command = new Command("synth", "draw synthetic ego-view rail scenes and their label maps (RailSem19 layout and classes)") { output, count, size, seed, scenes };
        command.SetNasAction(context, (parse, token) =>
        {
            InputSize s = CommonOptions.ParseSize(parse.GetValue(size)!, "--size");
            string dir = parse.GetValue(output)!;
            int n = parse.GetValue(count);
            SyntheticDifficulty difficulty = parse.PickEnum(scenes, SyntheticDifficulty.Standard);
            context.WithProgress("synth", p => SyntheticRailGenerator.WriteDataset(dir, n, s.Height, s.Width, parse.GetValue(seed), p, token, difficulty));
            context.Console.WriteLine($"wrote {n} scenes of {s.Height}x{s.Width} to {Path.GetFullPath(dir)}");
            context.Console.WriteLine($"read them with --dataset synthetic --root {dir} (splits train/val/test by seeded 0.8/0.1/0.1 fractions, or all)");
            return Task.FromResult(0);
        });
        return command;
    }

    private static Command Check(CliContext context)
    {
        var dataset = new Option<string>("--dataset") { Description = $"dataset kind: {string.Join(", ", DatasetCatalog.Names)}", Required = true };
        var root = new Option<string>("--root") { Description = "dataset folder", Required = true };
        var split = new Option<string>("--split") { Description = "split to check (train, val, test, all, ...)", DefaultValueFactory = _ => "train" };
        var splitFile = new Option<string?>("--split-file") { Description = "text file of sample ids (one per line) making up the split" };
        var splitSeed = new Option<int>("--split-seed") { Description = "seed of the fraction split (RailSem19, synthetic, folder trees without split folders)", DefaultValueFactory = _ => 0 };
        var maxProblems = new Option<int>("--max-problems") { Description = "problems listed (all are counted)", DefaultValueFactory = _ => 20 };
        var command = new Command("check", "validate a dataset tree (pairing, readability, sizes, label values) and print its per-class pixel histogram")
        {
            dataset, root, split, splitFile, splitSeed, maxProblems,
        };
        command.SetNasAction(context, (parse, token) =>
        {
            int shown = parse.GetValue(maxProblems);
            if (shown < 0)
            {
                throw new NasException($"--max-problems must be >= 0 (got {shown})");
            }

            var options = new DatasetOptions { SplitFile = parse.GetValue(splitFile), SplitSeed = parse.GetValue(splitSeed) };
            DatasetCheckResult result = context.WithProgress("check", p =>
                DatasetChecker.Check(parse.GetValue(dataset)!, parse.GetValue(root)!, parse.GetValue(split)!, options, p, token));
            Render(context.Console, result);
            if (result.Ok)
            {
                context.Console.WriteLine("no problems found");
                return Task.FromResult(0);
            }

            foreach (string problem in result.Problems.Take(shown))
            {
                context.Error.WriteLine($"problem: {problem}");
            }

            string more = result.Problems.Count > shown ? $" (first {shown} listed)" : string.Empty;
            context.Error.WriteLine($"error: {result.Problems.Count} problem{(result.Problems.Count == 1 ? string.Empty : "s")} found in {result.Dataset} '{result.Split}'{more}");
            return Task.FromResult(NasCli.ExitBadInput);
        });
        return command;
    }

    private static void Render(IAnsiConsole console, DatasetCheckResult result)
    {
        long total = result.ClassPixels.Sum() + result.IgnoredPixels;
        var table = new Table().AddColumns("id", "class", "pixels", "share", "images");
        foreach (int column in new[] { 0, 2, 3, 4 })
        {
            table.Columns[column].RightAligned();
        }

        for (int c = 0; c < result.ClassPixels.Count; c++)
        {
            string name = result.ClassNames is { } names && c < names.Count ? names[c] : $"class {c}";
            string images = result.ClassImages is { } counts ? Int(counts[c]) : string.Empty;
            table.AddRow(Int(c), Markup.Escape(name), Int(result.ClassPixels[c]), Share(result.ClassPixels[c], total), images);
        }

        table.AddRow("255", "ignore", Int(result.IgnoredPixels), Share(result.IgnoredPixels, total), string.Empty);
        console.Write(table);
        string sizes = result.ImageSizes.Count == 0
            ? "none readable"
            : string.Join(", ", result.ImageSizes.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} ({kv.Value})"));
        console.WriteLine($"{result.Dataset} '{result.Split}': {result.Samples} image/label pairs checked; image sizes (HxW): {sizes}");
    }

    private static string Int(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string Share(long v, long total) => total == 0 ? "-" : (v / (double)total).ToString("P2", CultureInfo.InvariantCulture);
}
