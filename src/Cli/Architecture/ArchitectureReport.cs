using Nas.Core.Genotypes;
using Nas.Core.Graphs;
using Nas.Core.Graphs.Nodes;
using Nas.Core.SearchSpaces;
using Nas.Models;

namespace Nas.Cli.Architecture;

/// <summary>
/// The <c>nas arch show --json</c> document of any network: totals (conv-only MACs as SqueezeNAS counts them, total FLOPs,
/// parameters) and one row per part; SqueezeNAS networks also carry their space, genotype and the per-block rows.
/// </summary>
internal sealed record ArchitectureReport(
    string Name,
    string Family,
    string Architecture,
    string? Space,
    string? Genotype,
    int[] Input,
    int[] RunSize,
    int Classes,
    long Macs,
    long Flops,
    long Params,
    ArchitectureReport.Part[] Parts,
    ArchitectureReport.Block[]? Blocks,
    ArchitectureReport.Totals? Stem,
    ArchitectureReport.Totals? LastConv,
    ArchitectureReport.Totals? Head)
{
    public static ArchitectureReport Create(NetworkSpec spec, InputSize input, GraphCost cost)
    {
        GraphShapes shapes = cost.Shapes;
        Node? pad = spec.Graph.Nodes.FirstOrDefault(n => n is PadToMultipleNode && n.Inputs[0] == spec.Graph.Inputs[0].Name);
        ValueShape run = pad is null ? shapes.Of(spec.Graph.Inputs[0].Name) : shapes.Of(pad.Name);
        Part[] parts = cost.Parts.Select(p => new Part(p.Name, p.Label, p.Position, p.Inputs.Select(s => s.ToArray()).ToArray(),
            p.Outputs.Select(s => s.ToArray()).ToArray(), p.Stride, p.Macs, p.Flops, p.Params)).ToArray();
        Genotype? genotype = spec.Genotype?.Genotype;
        Block[]? blocks = genotype is null ? null : cost.Parts.Where(p => p.Position is not null).Select(p =>
        {
            BlockPosition position = genotype.Space.Positions[p.Position!.Value];
            CandidateOp op = genotype.Ops[position.Index];
            return new Block(position.Index, op.Name, op.IsSkip ? position.SkipKind.ToString().ToLowerInvariant() : null,
                p.Inputs[0].ToArray(), p.Outputs[0].ToArray(), position.Stride, position.IsResidual, p.Macs, p.Params);
        }).ToArray();
        Totals? Named(string name) => genotype is null ? null : cost.Parts.FirstOrDefault(p => p.Name == name) is { } p ? new Totals(p.Macs, p.Params) : null;
        return new ArchitectureReport(spec.Name, spec.Family, spec.Architecture.ToString(), genotype?.Space.Name, genotype?.CanonicalString,
            [input.Height, input.Width], [run.Height, run.Width], spec.Classes, cost.Macs, cost.Flops, cost.Params, parts, blocks,
            Named("stem"), Named("last_conv"), Named("head"));
    }

    internal sealed record Part(string Name, string Label, int? Position, int[][] In, int[][] Out, int Stride, long Macs, long Flops, long Params);

    internal sealed record Block(int Index, string Op, string? Skip, int[] InShape, int[] OutShape, int Stride, bool Residual, long Macs, long Params);

    internal sealed record Totals(long Macs, long Params);
}
