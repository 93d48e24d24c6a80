using Nas.Core.Genotypes;
using Nas.Core.Graphs;
using Nas.Core.Graphs.Blocks;
using Nas.Core.SearchSpaces;

namespace Nas.Models.SqueezeNas;

/// <summary>
/// The layer graphs of SqueezeNAS spaces: the supernet (a choice of every candidate at every position) and, by
/// <see cref="LayerGraph.Derive"/>, the network of one genotype. Layout: pad to a multiple of 16, stem 3×3/s2 conv+BN+ReLU,
/// the positions, the optional last 1×1 conv+BN+ReLU, the LR-ASPP or ASPP-decoder head on the OS16 feature and the skip
/// feature, and the crop back to the input size. Tensor names are ours (<c>stem.conv.weight</c>,
/// <c>blocks.3.op.expand_conv.weight</c>); external names are the official repository's (<c>encoder.conv1.0.weight</c>,
/// <c>encoder.residuals.3.op.0.weight</c>).
/// </summary>
public static class SqueezeNasGraphs
{
    public const string Family = "squeezenas";

    public static LayerGraph Supernet(SearchSpace space, int classes, string? name = null)
    {
        if (classes < 1)
        {
            throw new Core.NasException($"class count must be >= 1 (got {classes})");
        }

        var b = new GraphBuilder(name ?? $"supernet-{space.Name}");
        string image = b.Input("input", 3);
        string x = b.PadToMultiple("pad16", image, InputSize.NetworkStride);
        x = ConvBnAct.Build(b, x, new ConvLayerNames("stem.conv", "stem.bn", "stem.relu", "encoder.conv1.0", "encoder.conv1.1"), space.StemChannels, 3, 2, 1);
        b.Part("stem", "stem", 2);
        string skip = x;
        foreach (BlockPosition p in space.Positions)
        {
            LayerGraph[] candidates = space.Candidates.Select(op => Candidate(p, op)).ToArray();
            x = b.Choice($"blocks.{p.Index}", x, candidates, $"blocks.{p.Index}.op", $"encoder.residuals.{p.Index}", p.Stride, p.Index);
            if (p.Index == space.SkipBlockIndex)
            {
                skip = x;
            }
        }

        if (space.LastConvChannels is int last)
        {
            x = ConvBnAct.Build(b, x, new ConvLayerNames("last_conv.conv", "last_conv.bn", "last_conv.relu", "encoder.last_conv.0", "encoder.last_conv.1"), last, 1);
            b.Part("last_conv", "last_conv", 1);
        }

        string logits = space.Head == HeadKind.LrAspp
            ? SqueezeNasLrAspp.Build(b, x, skip, space.HeadChannels, classes)
            : SqueezeNasAsppDecoder.Build(b, x, skip, space.HeadChannels, classes);
        b.Part("head", HeadLabel(space, classes), 1);
        b.Output("logits", b.CropLike("crop", logits, image));
        return b.Build();
    }

    /// <summary>The network of a genotype (the supernet with each position's op inlined).</summary>
    public static LayerGraph Network(NamedGenotype genotype, IDictionary<string, string>? supernetSources = null)
    {
        Genotype g = genotype.Genotype;
        LayerGraph supernet = Supernet(g.Space, genotype.Classes, genotype.Name);
        return supernet.Derive(c => g.Space.IndexOf(g.Ops[c.Position!.Value]), supernetSources);
    }

    /// <summary>One candidate at one position: a graph with input <c>input</c> and output <c>output</c>, residual included.</summary>
    public static LayerGraph Candidate(BlockPosition position, CandidateOp op)
    {
        var b = new GraphBuilder(op.Name);
        string x = b.Input("input", position.InChannels);
        b.Output("output", op.Kind.Build(b, x, position, op));
        return b.Build();
    }

    public static NetworkSpec Spec(NamedGenotype genotype) => new()
    {
        Name = genotype.Name,
        Architecture = ArchitectureReference.ForGenotype(genotype),
        Graph = Network(genotype),
        Classes = genotype.Classes,
        ClassifierPrefixes = ClassifierPrefixes(genotype.Genotype.Space),
        EncoderPrefixes = ["stem.", "blocks.", "last_conv."],
        Family = Family,
        Genotype = genotype,
    };

    /// <summary>The head's lookup-table label, e.g. <c>head|lr-aspp:128|c19</c>.</summary>
    public static string HeadLabel(SearchSpace space, int classes) =>
        $"head|{(space.Head == HeadKind.LrAspp ? "lr-aspp" : "aspp-decoder")}:{space.HeadChannels}|c{classes}";

    public static IReadOnlyList<string> ClassifierPrefixes(SearchSpace space) =>
        space.Head == HeadKind.LrAspp ? ["head.classifier.", "head.skip_classifier."] : ["head.classifier."];
}
