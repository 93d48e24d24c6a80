using Nas.Core.SearchSpaces;

namespace Nas.Latency.Tables;

/// <summary>
/// The canonical lookup-table keys (also the kit file names). A block's key is its op and shapes —
/// <c>k5_e6_g1|24x128x256|40x64x128|s2</c> — so identical (op, shape) pairs share one measurement; fixed parts are
/// <c>stem|3x256x512|16x128x256|s2</c>, <c>last_conv|96x16x32|256x16x32|s1</c> and
/// <c>head|lr-aspp:128|c19|256x16x32+24x32x64</c>.
/// </summary>
public static class LutKeys
{
    public static string Shape(int[] chw) => string.Join('x', chw);

    public static string Block(CandidateOp op, int[] input, int[] output, int stride) => $"{op.Name}|{Shape(input)}|{Shape(output)}|s{stride}";

    public static string Part(string part, int[] input, int[] output, int stride) => $"{part}|{Shape(input)}|{Shape(output)}|s{stride}";

    public static string Head(SearchSpace space, int classes, int[] os16, int[] skip) =>
        $"head|{(space.Head == HeadKind.LrAspp ? "lr-aspp" : "aspp-decoder")}:{space.HeadChannels}|c{classes}|{Shape(os16)}+{Shape(skip)}";

    /// <summary>A file-system-safe version of a key.</summary>
    public static string FileName(string key) => key.Replace('|', '_').Replace(':', '-').Replace('+', '_') + ".onnx";
}
