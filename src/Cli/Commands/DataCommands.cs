using System.CommandLine;
using System.Globalization;
using Nas.Core;
using Nas.Core.SearchSpaces;
using Nas.Data.Checking;
using Nas.Data.Datasets;
using Nas.Data.Synthetic;
using Spectre.Console;

namespace Nas.Cli.Commands;

/// <summary><c>nas data synth|check</c>.</summary>
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
        var output = new Option<string>("--out") { Description = "output folder (RailSem19 layout)", Required = true };
        var count = new Option<int>("--count") { Description = "number of scenes", DefaultValueFactory = _ => 200 };
        var size = new Option<string>("--size") { Description = "image size HxW", DefaultValueFactory = _ => "256x512" };
        var seed = CommonOptions.Seed();
        var command = new Command("synth", "draw synthetic ego-view rail scenes with labels, written in the RailSem19 layout") { output, count, size, seed };
        command.SetNasAction(context, (parse, token) =>
        {
            InputSize s = CommonOptions.ParseSize(parse.GetValue(size)!, "--size");
            string dir = parse.GetValue(output)!;
            int n = parse.GetValue(count);
            context.WithProgress("synthetic scenes", p => SyntheticRailGenerator.WriteDataset(dir, n, s.Height, s.Width, parse.GetValue(seed), p, token));
            context.Console.WriteLine($"wrote {n} scenes of {s} to {Path.GetFullPath(dir)} (read them with --dataset synthetic --root {dir})");
            return Task.FromResult(0);
        });
        return command;
    }

    private static Command Check(CliContext context)
    {
        var dataset = new Option<string>("--dataset") { Description = $"one of {string.Join(", ", DatasetCatalog.Names)}", Required = true };
        var root = new Option<string>("--root") { Description = "dataset folder", Required = true };
        var split = new Option<string>("--split") { Description = "split to check", DefaultValueFactory = _ => "train" };
        var splitFile = new Option<string?>("--split-file") { Description = "text file of ids making up the split" };
        var command = new Command("check", "validate a dataset tree: pairing, readability, sizes, label values; per-class pixel histogram") { dataset, root, split, splitFile };
        command.SetNasAction(context, (parse, token) =>
        {
            DatasetCheckResult result = context.WithProgress("check", p =>
                DatasetChecker.Check(parse.GetValue(dataset)!, parse.GetValue(root)!, parse.GetValue(split)!, new DatasetOptions { SplitFile = parse.GetValue(splitFile) }, p, token));
            SegmentationDataset info = DatasetCatalog.Open(parse.GetValue(dataset)!, parse.GetValue(root)!, parse.GetValue(split)!, new DatasetOptions { SkipBad = true, SplitFile = parse.GetValue(splitFile) });
            long total = result.ClassPixels.Sum() + result.IgnoredPixels;
            var table = new Table().AddColumns("id", "class", "pixels", "share");
            for (int c = 0; c < result.ClassPixels.Count; c++)
            {
                table.AddRow(c.ToString(CultureInfo.InvariantCulture), Markup.Escape(info.Info.ClassNames[c]), result.ClassPixels[c].ToString("N0", CultureInfo.InvariantCulture),
                    total == 0 ? "-" : (result.ClassPixels[c] / (double)total).ToString("P2", CultureInfo.InvariantCulture));
            }

            table.AddRow("255", "ignore", result.IgnoredPixels.ToString("N0", CultureInfo.InvariantCulture), total == 0 ? "-" : (result.IgnoredPixels / (double)total).ToString("P2", CultureInfo.InvariantCulture));
            context.Console.Write(table);
            context.Console.WriteLine($"{result.Dataset} '{result.Split}': {result.Samples} pairs checked; sizes: {string.Join(", ", result.ImageSizes.Select(kv => $"{kv.Key} ({kv.Value})"))}");
            if (result.Ok)
            {
                context.Console.WriteLine("no problems found");
                return Task.FromResult(0);
            }

            foreach (string problem in result.Problems.Take(20))
            {
                context.Error.WriteLine($"problem: {problem}");
            }

            context.Error.WriteLine($"error: {result.Problems.Count} problems found{(result.Problems.Count > 20 ? " (first 20 shown)" : string.Empty)}");
            return Task.FromResult(NasCli.ExitBadInput);
        });
        return command;
    }
}
