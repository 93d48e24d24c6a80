using System.CommandLine;
using System.Globalization;
using Nas.Cli.Architecture;
using Nas.Core.Graphs;
using Nas.Core.IO;
using Nas.Core.SearchSpaces;
using Nas.Models;
using Nas.Models.Registry;
using Spectre.Console;

namespace Nas.Cli.Commands;

/// <summary><c>nas arch list|show</c>: the registry of networks and per-part cost tables, all computed from the layer graphs.</summary>
internal static class ArchCommands
{
    public static Command Create(CliContext context)
    {
        var arch = new Command("arch", "list, inspect and sample architectures");
        arch.Subcommands.Add(List(context));
        arch.Subcommands.Add(Show(context));
        arch.Subcommands.Add(Graph(context));
        foreach (Command extra in ArchSampleCommand.Create(context))
        {
            arch.Subcommands.Add(extra);
        }

        return arch;
    }

    private static Command List(CliContext context)
    {
        var input = CommonOptions.Input();
        var command = new Command("list", "list the registered networks and the built-in search spaces") { input };
        command.SetNasAction(context, parse =>
        {
            InputSize size = CommonOptions.ParseSize(parse.GetValue(input)!, "--input");
            var table = new Table().AddColumns("network", "family", "GMACs", "GFLOPs", "params (M)", "published result", "official weights");
            foreach (ModelEntry entry in ModelRegistry.All)
            {
                NetworkSpec spec = ModelRegistry.Build(entry);
                GraphCost cost = GraphCost.Compute(spec.Graph, size.Height, size.Width);
                table.AddRow(entry.Name, entry.Family, Fmt(cost.Macs / 1e9, "F3"), Fmt(cost.Flops / 1e9, "F3"), Fmt(cost.Params / 1e6, "F3"),
                    Markup.Escape(entry.PublishedResult ?? string.Empty), Markup.Escape(string.Join(", ", entry.WeightFiles)));
            }

            context.Console.Write(table);
            var spaces = new Table().AddColumns("space", "positions", "candidates", "head", "canonical form");
            foreach (SearchSpace s in SearchSpaceCatalog.BuiltIn)
            {
                spaces.AddRow(s.Name, s.PositionCount.ToString(CultureInfo.InvariantCulture), s.Candidates.Count.ToString(CultureInfo.InvariantCulture),
                    s.Head == HeadKind.LrAspp ? "LR-ASPP" : "ASPP + decoder", Markup.Escape(s.CanonicalString));
            }

            context.Console.Write(spaces);
            context.Console.WriteLine($"At 1x3x{size.Height}x{size.Width}, with each network's default class count. MACs: convolutions only (the SqueezeNAS convention); FLOPs: every operation, 2 per multiply-accumulate.");
            return 0;
        });
        return command;
    }

    private static Command Show(CliContext context)
    {
        var archArg = new Argument<string>("arch") { Description = "a registered network name, a genotype JSON file, genotype text SPACE:op0,op1,... or a layer-graph JSON file" };
        var input = CommonOptions.Input();
        var classes = CommonOptions.Classes();
        var json = CommonOptions.Json();
        var command = new Command("show", "per-part table of an architecture: layers, shapes, stride, MACs, FLOPs, params") { archArg, input, classes, json };
        command.SetNasAction(context, parse =>
        {
            NetworkSpec spec = ModelRegistry.Resolve(parse.GetValue(archArg)!, parse.GetValue(classes));
            InputSize size = CommonOptions.ParseSize(parse.GetValue(input)!, "--input");
            spec.CheckInputSize(size.Height, size.Width);
            GraphCost cost = GraphCost.Compute(spec.Graph, size.Height, size.Width);
            if (parse.GetValue(json))
            {
                context.Console.Profile.Out.Writer.WriteLine(NasJson.Serialize(ArchitectureReport.Create(spec, size, cost)));
                return 0;
            }

            Render(context.Console, spec, size, cost);
            return 0;
        });
        return command;
    }

    private static Command Graph(CliContext context)
    {
        var archArg = new Argument<string>("arch") { Description = "a registered network name, a genotype JSON file, genotype text SPACE:op0,op1,... or a layer-graph JSON file" };
        var classes = CommonOptions.Classes();
        var output = CommonOptions.OutputFile("the layer-graph JSON file to write");
        var command = new Command("graph", "write an architecture's layer graph as JSON: edit it and give the file to train, export or arch show like a registered name") { archArg, classes, output };
        command.SetNasAction(context, parse =>
        {
            NetworkSpec spec = ModelRegistry.Resolve(parse.GetValue(archArg)!, parse.GetValue(classes));
            string path = parse.GetValue(output)!;
            Nas.Core.IO.AtomicFile.WriteAllText(path, NasJson.Serialize(spec.Graph));
            context.Console.WriteLine($"wrote {Path.GetFullPath(path)}: {spec.Graph.Nodes.Count} nodes, {spec.Classes} classes");
            return 0;
        });
        return command;
    }

    private static void Render(IAnsiConsole console, NetworkSpec spec, InputSize size, GraphCost cost)
    {
        ArchitectureReport report = ArchitectureReport.Create(spec, size, cost);
        string run = report.RunSize[0] == size.Height && report.RunSize[1] == size.Width ? string.Empty : $" (padded to {report.RunSize[0]}x{report.RunSize[1]})";
        console.MarkupLine($"[bold]{Markup.Escape(spec.Name)}[/]  {Markup.Escape(spec.Architecture.ToString())}  classes {spec.Classes}  input {size}{run}");
        var table = new Table().AddColumns("#", "layers", "in", "out", "stride", "MMACs", "MFLOPs", "params");
        foreach (int c in new[] { 0, 5, 6, 7 })
        {
            table.Columns[c].RightAligned();
        }

        foreach (ArchitectureReport.Part p in report.Parts)
        {
            string label = p.Position is int position && spec.Genotype is { } g ? g.Genotype.Ops[position].Kind.Describe(g.Genotype.Space.Positions[position], g.Genotype.Ops[position]) : p.Label;
            table.AddRow(Markup.Escape(p.Position?.ToString(CultureInfo.InvariantCulture) ?? p.Name), Markup.Escape(label),
                string.Join(" + ", p.In.Select(s => string.Join('x', s))), string.Join(" + ", p.Out.Select(s => string.Join('x', s))),
                Int(p.Stride), Mmacs(p.Macs), Mmacs(p.Flops), Int(p.Params));
        }

        table.AddRow("[bold]total[/]", "", "", "", "", $"[bold]{Mmacs(cost.Macs)}[/]", $"[bold]{Mmacs(cost.Flops)}[/]", $"[bold]{Int(cost.Params)}[/]");
        console.Write(table);
        console.WriteLine($"total: {cost.Macs / 1e9:F3} GMACs (convolutions only), {cost.Flops / 1e9:F3} GFLOPs, {cost.Params / 1e6:F3} M params");
        string because = spec.InputSize.Reason is { } reason ? $" ({reason})" : string.Empty;
        console.WriteLine($"input: {spec.Input.Normalisation}; sizes: {spec.InputSize.Describe()}{because}");
        if (spec.Genotype is { } named)
        {
            console.WriteLine($"genotype: {named.Genotype.CanonicalString}");
        }
    }

    private static string Mmacs(long macs) => (macs / 1e6).ToString("F2", CultureInfo.InvariantCulture);

    private static string Int(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string Fmt(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}
