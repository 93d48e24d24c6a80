using System.CommandLine;
using System.Globalization;
using Nas.Core.Costs;
using Nas.Core.Genotypes;
using Nas.Core.IO;
using Nas.Core.SearchSpaces;
using Spectre.Console;

namespace Nas.Cli.Commands;

/// <summary><c>nas arch list|show</c>: the registry of networks and per-block cost tables.</summary>
internal static class ArchCommands
{
    public static Command Create(CliContext context)
    {
        var arch = new Command("arch", "list, inspect and sample architectures");
        arch.Subcommands.Add(List(context));
        arch.Subcommands.Add(Show(context));
        foreach (Command extra in ArchSampleCommand.Create(context))
        {
            arch.Subcommands.Add(extra);
        }

        return arch;
    }

    private static Command List(CliContext context)
    {
        var input = CommonOptions.Input();
        var command = new Command("list", "list the published networks and the built-in search spaces") { input };
        command.SetNasAction(context, parse =>
        {
            InputSize size = CommonOptions.ParseSize(parse.GetValue(input)!, "--input");
            var table = new Table().AddColumns("network", "space", "GMACs", "params (M)", "official Cityscapes val mIoU", "official weights");
            foreach (PublishedNetwork n in PublishedNetworks.All)
            {
                NetworkCost cost = MacCounter.Count(n.Genotype.Genotype, n.Genotype.Classes, size);
                table.AddRow(n.Name, n.Genotype.Genotype.Space.Name, Fmt(cost.TotalMacs / 1e9, "F3"), Fmt(cost.TotalParams / 1e6, "F3"),
                    Fmt(n.OfficialClassMiou * 100, "F2") + " %", n.OfficialWeightsFile);
            }

            context.Console.Write(table);
            var spaces = new Table().AddColumns("space", "positions", "candidates", "head", "canonical form");
            foreach (SearchSpace s in SearchSpaceCatalog.BuiltIn)
            {
                spaces.AddRow(s.Name, s.PositionCount.ToString(CultureInfo.InvariantCulture), s.Candidates.Count.ToString(CultureInfo.InvariantCulture),
                    s.Head == HeadKind.LrAspp ? "LR-ASPP" : "ASPP + decoder", Markup.Escape(s.CanonicalString));
            }

            context.Console.Write(spaces);
            context.Console.WriteLine($"MACs at 1x3x{size.Height}x{size.Width} (convolutions only, the SqueezeNAS convention).");
            return 0;
        });
        return command;
    }

    private static Command Show(CliContext context)
    {
        var archArg = new Argument<string>("arch") { Description = "a published network name, a genotype JSON file, or genotype text SPACE:op0,op1,..." };
        var input = CommonOptions.Input();
        var classes = CommonOptions.Classes();
        var json = CommonOptions.Json();
        var command = new Command("show", "per-block table of an architecture: op, shapes, stride, MACs, params") { archArg, input, classes, json };
        command.SetNasAction(context, parse =>
        {
            NamedGenotype named = PublishedNetworks.Resolve(parse.GetValue(archArg)!, parse.GetValue(classes));
            InputSize size = CommonOptions.ParseSize(parse.GetValue(input)!, "--input");
            NetworkCost cost = MacCounter.Count(named.Genotype, named.Classes, size);
            if (parse.GetValue(json))
            {
                context.Console.Profile.Out.Writer.WriteLine(NasJson.Serialize(ToJson(named, cost)));
                return 0;
            }

            Render(context.Console, named, cost);
            return 0;
        });
        return command;
    }

    internal static ArchitectureSummary ToJson(NamedGenotype named, NetworkCost cost) => new(
        named.Name,
        named.Genotype.Space.Name,
        named.Genotype.CanonicalString,
        [cost.Input.Height, cost.Input.Width],
        [cost.RunSize.Height, cost.RunSize.Width],
        named.Classes,
        cost.TotalMacs,
        cost.TotalParams,
        cost.Blocks.Select(b => new BlockSummary(
            b.Position.Index, b.Op.Name, b.Op.IsSkip ? b.Position.SkipKind.ToString().ToLowerInvariant() : null,
            [b.Position.InChannels, b.InputSize.Height, b.InputSize.Width],
            [b.Position.OutChannels, b.OutputSize.Height, b.OutputSize.Width],
            b.Position.Stride, b.Position.IsResidual, b.Macs, b.Params)).ToArray(),
        new PartSummary(cost.Stem.Macs, cost.Stem.Params),
        cost.LastConv is null ? null : new PartSummary(cost.LastConv.Macs, cost.LastConv.Params),
        new PartSummary(cost.Head.Macs, cost.Head.Params));

    private static void Render(IAnsiConsole console, NamedGenotype named, NetworkCost cost)
    {
        console.MarkupLine($"[bold]{Markup.Escape(named.Name)}[/]  space [bold]{named.Genotype.Space.Name}[/]  classes {named.Classes}  input {cost.Input}" +
            (cost.Input == cost.RunSize ? string.Empty : $" (padded to {cost.RunSize})"));
        var table = new Table().AddColumns("#", "op", "in", "out", "stride", "residual", "MMACs", "params");
        table.Columns[0].RightAligned();
        table.Columns[6].RightAligned();
        table.Columns[7].RightAligned();
        table.AddRow("stem", "conv3x3+bn+relu", $"3x{cost.RunSize}", Shape(named.Genotype.Space.StemChannels, cost.Blocks[0].InputSize), "2", "", Mmacs(cost.Stem.Macs), Int(cost.Stem.Params));
        foreach (BlockCost b in cost.Blocks)
        {
            table.AddRow(Int(b.Position.Index), b.Description, Shape(b.Position.InChannels, b.InputSize), Shape(b.Position.OutChannels, b.OutputSize),
                Int(b.Position.Stride), b.Position.IsResidual ? "yes" : "", Mmacs(b.Macs), Int(b.Params));
        }

        if (cost.LastConv is PartCost last)
        {
            table.AddRow("last", "conv1x1+bn+relu", "", "", "1", "", Mmacs(last.Macs), Int(last.Params));
        }

        table.AddRow("head", named.Genotype.Space.Head == HeadKind.LrAspp ? "LR-ASPP" : "ASPP + decoder", "", $"{named.Classes}x{cost.Input}", "", "", Mmacs(cost.Head.Macs), Int(cost.Head.Params));
        table.AddRow("[bold]total[/]", "", "", "", "", "", $"[bold]{Mmacs(cost.TotalMacs)}[/]", $"[bold]{Int(cost.TotalParams)}[/]");
        console.Write(table);
        console.WriteLine($"total: {cost.TotalMacs / 1e9:F3} GMACs, {cost.TotalParams / 1e6:F3} M params");
        console.WriteLine($"genotype: {named.Genotype.CanonicalString}");
    }

    private static string Shape(int c, InputSize s) => $"{c}x{s.Height}x{s.Width}";

    private static string Mmacs(long macs) => (macs / 1e6).ToString("F2", CultureInfo.InvariantCulture);

    private static string Int(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string Fmt(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

    internal sealed record ArchitectureSummary(
        string Name,
        string Space,
        string Genotype,
        int[] Input,
        int[] RunSize,
        int Classes,
        long Macs,
        long Params,
        BlockSummary[] Blocks,
        PartSummary Stem,
        PartSummary? LastConv,
        PartSummary Head);

    internal sealed record BlockSummary(int Index, string Op, string? Skip, int[] InShape, int[] OutShape, int Stride, bool Residual, long Macs, long Params);

    internal sealed record PartSummary(long Macs, long Params);
}
