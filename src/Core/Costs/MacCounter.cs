using Nas.Core.Genotypes;
using Nas.Core.SearchSpaces;

namespace Nas.Core.Costs;

/// <summary>
/// Analytic MAC and parameter counts with the SqueezeNAS convention (§2.3): only convolutions count,
/// MACs = C_out·H_out·W_out·k_h·k_w·C_in/groups at batch 1; BN, activations, pooling, resizes, adds,
/// multiplies and concatenations are free. Parameters are everything <c>parameters()</c> returns:
/// conv weights and biases and BatchNorm scale and shift (running statistics are buffers, not parameters).
/// Inputs that are not multiples of 16 are counted at the padded size the network runs at.
/// </summary>
public static class MacCounter
{
    public static NetworkCost Count(Genotype genotype, int classes, InputSize input)
    {
        SearchSpace space = genotype.Space;
        InputSize run = input.PaddedTo();
        var blocks = new List<BlockCost>(space.PositionCount);
        foreach (BlockPosition p in space.Positions)
        {
            blocks.Add(Block(p, genotype.Ops[p.Index], run));
        }

        return new NetworkCost(input, run, classes, Stem(space, run), blocks, LastConv(space, run), HeadLayers(space, classes, run));
    }

    /// <summary>Cost of <paramref name="op"/> at position <paramref name="p"/> for a network input of <paramref name="networkInput"/>.</summary>
    public static BlockCost Block(BlockPosition p, CandidateOp op, InputSize networkInput)
    {
        InputSize run = networkInput.PaddedTo();
        InputSize inSize = p.InputSizeFor(run);
        InputSize outSize = p.OutputSizeFor(run);
        long macs;
        long parameters;
        if (op.IsSkip)
        {
            switch (p.SkipKind)
            {
                case SkipKind.Identity:
                    macs = 0;
                    parameters = 0;
                    break;
                case SkipKind.FactorizedReduce:
                    // two 1×1 stride-2 convs C_in -> C_out/2, each with its BN
                    int half = p.OutChannels / 2;
                    macs = 2 * ConvMacs(p.InChannels, half, 1, 1, outSize);
                    parameters = 2 * (ConvParams(p.InChannels, half, 1, 1, bias: false) + BatchNormParams(half));
                    break;
                default:
                    macs = ConvMacs(p.InChannels, p.OutChannels, 1, 1, outSize);
                    parameters = ConvParams(p.InChannels, p.OutChannels, 1, 1, bias: false) + BatchNormParams(p.OutChannels);
                    break;
            }
        }
        else
        {
            int hidden = op.HiddenChannels(p.InChannels);
            macs = ConvMacs(p.InChannels, hidden, 1, op.Groups, inSize)
                + ConvMacs(hidden, hidden, op.Kernel, hidden, outSize)
                + ConvMacs(hidden, p.OutChannels, 1, op.Groups, outSize);
            parameters = ConvParams(p.InChannels, hidden, 1, op.Groups, bias: false) + BatchNormParams(hidden)
                + ConvParams(hidden, hidden, op.Kernel, hidden, bias: false) + BatchNormParams(hidden)
                + ConvParams(hidden, p.OutChannels, 1, op.Groups, bias: false) + BatchNormParams(p.OutChannels);
        }

        return new BlockCost(p, op, inSize, outSize, macs, parameters);
    }

    public static PartCost Stem(SearchSpace space, InputSize networkInput)
    {
        InputSize out2 = Reduce(networkInput.PaddedTo(), 2);
        return new PartCost("stem", ConvMacs(3, space.StemChannels, 3, 1, out2),
            ConvParams(3, space.StemChannels, 3, 1, bias: false) + BatchNormParams(space.StemChannels));
    }

    public static PartCost? LastConv(SearchSpace space, InputSize networkInput)
    {
        if (space.LastConvChannels is not int last)
        {
            return null;
        }

        InputSize os16 = Reduce(networkInput.PaddedTo(), 16);
        return new PartCost("last_conv", ConvMacs(space.EncoderChannels, last, 1, 1, os16),
            ConvParams(space.EncoderChannels, last, 1, 1, bias: false) + BatchNormParams(last));
    }

    public static PartCost Head(SearchSpace space, int classes, InputSize networkInput)
    {
        IReadOnlyList<PartCost> layers = HeadLayers(space, classes, networkInput.PaddedTo());
        return new PartCost("head", layers.Sum(l => l.Macs), layers.Sum(l => l.Params));
    }

    public static IReadOnlyList<PartCost> HeadLayers(SearchSpace space, int classes, InputSize networkInput)
    {
        InputSize run = networkInput.PaddedTo();
        InputSize os16 = Reduce(run, 16);
        int c = space.FinalChannels;
        int mid = space.HeadChannels;
        int skip = space.SkipChannels;
        if (space.Head == HeadKind.LrAspp)
        {
            (int ph, int pw) = LrAsppPooling.OutputSize(os16.Height, os16.Width);
            var os8 = new InputSize(os16.Height * 2, os16.Width * 2);
            return
            [
                new("head.branch_conv", ConvMacs(c, mid, 1, 1, os16), ConvParams(c, mid, 1, 1, false) + BatchNormParams(mid)),
                new("head.gate_conv", ConvMacs(c, mid, 1, 1, new InputSize(ph, pw)), ConvParams(c, mid, 1, 1, true)),
                new("head.classifier", ConvMacs(mid, classes, 1, 1, os8), ConvParams(mid, classes, 1, 1, true)),
                new("head.skip_classifier", ConvMacs(skip, classes, 1, 1, os8), ConvParams(skip, classes, 1, 1, true)),
            ];
        }

        var os4 = new InputSize(os16.Height * 4, os16.Width * 4);
        int fused = mid + skip;
        return
        [
            new("head.aspp.conv1x1", ConvMacs(c, mid, 1, 1, os16), ConvParams(c, mid, 1, 1, false) + BatchNormParams(mid)),
            new("head.aspp.rate6", ConvMacs(c, mid, 3, mid, os16), ConvParams(c, mid, 3, mid, false) + BatchNormParams(mid)),
            new("head.aspp.rate12", ConvMacs(c, mid, 3, mid, os16), ConvParams(c, mid, 3, mid, false) + BatchNormParams(mid)),
            new("head.aspp.rate18", ConvMacs(c, mid, 3, mid, os16), ConvParams(c, mid, 3, mid, false) + BatchNormParams(mid)),
            new("head.aspp.project", ConvMacs((4 * mid) + c, mid, 1, 1, os16), ConvParams((4 * mid) + c, mid, 1, 1, false) + BatchNormParams(mid)),
            new("head.skip_conv", ConvMacs(skip, skip, 1, 1, os4), ConvParams(skip, skip, 1, 1, true)),
            new("head.fuse_depthwise", ConvMacs(fused, fused, 3, fused, os4), ConvParams(fused, fused, 3, fused, false) + BatchNormParams(fused)),
            new("head.classifier", ConvMacs(fused, classes, 1, 1, os4), ConvParams(fused, classes, 1, 1, true)),
        ];
    }

    public static long ConvMacs(int inChannels, int outChannels, int kernel, int groups, InputSize output) =>
        (long)output.Height * output.Width * outChannels * kernel * kernel * (inChannels / groups);

    public static long ConvParams(int inChannels, int outChannels, int kernel, int groups, bool bias) =>
        ((long)outChannels * (inChannels / groups) * kernel * kernel) + (bias ? outChannels : 0);

    public static long BatchNormParams(int channels) => 2L * channels;

    private static InputSize Reduce(InputSize size, int reduction) =>
        new(BlockPosition.Reduce(size.Height, reduction), BlockPosition.Reduce(size.Width, reduction));
}
