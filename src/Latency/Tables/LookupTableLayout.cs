using Nas.Core.SearchSpaces;

namespace Nas.Latency.Tables;

/// <summary>Every entry a table of a space at an input size needs: all (position × candidate) blocks, the stem, the last conv (if any) and the head.</summary>
public static class LookupTableLayout
{
    public static IReadOnlyList<LutEntrySpec> For(SearchSpace space, InputSize input, int classes)
    {
        InputSize run = input.PaddedTo();
        var entries = new List<LutEntrySpec>();
        int[] image = [3, run.Height, run.Width];
        int[] stemOut = [space.StemChannels, BlockPosition.Reduce(run.Height, 2), BlockPosition.Reduce(run.Width, 2)];
        entries.Add(new LutEntrySpec(LutPart.Stem, null, null, image, stemOut, 2, LutKeys.Part("stem", image, stemOut, 2)));
        foreach (BlockPosition p in space.Positions)
        {
            InputSize i = p.InputSizeFor(run), o = p.OutputSizeFor(run);
            int[] inShape = [p.InChannels, i.Height, i.Width];
            int[] outShape = [p.OutChannels, o.Height, o.Width];
            foreach (CandidateOp op in space.Candidates)
            {
                entries.Add(new LutEntrySpec(LutPart.Block, p.Index, op, inShape, outShape, p.Stride, LutKeys.Block(op, inShape, outShape, p.Stride)));
            }
        }

        BlockPosition lastBlock = space.Positions[^1];
        InputSize os16 = lastBlock.OutputSizeFor(run);
        int[] encoderOut = [space.EncoderChannels, os16.Height, os16.Width];
        if (space.LastConvChannels is int last)
        {
            int[] lastOut = [last, os16.Height, os16.Width];
            entries.Add(new LutEntrySpec(LutPart.LastConv, null, null, encoderOut, lastOut, 1, LutKeys.Part("last_conv", encoderOut, lastOut, 1)));
        }

        BlockPosition skipBlock = space.Positions[space.SkipBlockIndex];
        InputSize skipSize = skipBlock.OutputSizeFor(run);
        int[] headIn = [space.FinalChannels, os16.Height, os16.Width];
        int[] skipIn = [space.SkipChannels, skipSize.Height, skipSize.Width];
        int[] headOut = [classes, run.Height, run.Width];
        entries.Add(new LutEntrySpec(LutPart.Head, null, null, headIn, headOut, 1, LutKeys.Head(space, classes, headIn, skipIn), skipIn));
        return entries;
    }
}
