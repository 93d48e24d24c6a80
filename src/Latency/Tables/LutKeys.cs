using Nas.Core.Graphs;

namespace Nas.Latency.Tables;

/// <summary>
/// The canonical lookup-table keys (also the kit file names): a part's label and shapes. Single-input parts read
/// <c>{label}|{in}|{out}|s{stride}</c> — <c>k5_e6_g1|24x128x256|40x64x128|s2</c>, <c>stem|3x256x512|16x128x256|s2</c> —
/// so identical (op, shape) pairs share one measurement; parts with several inputs read <c>{label}|{in1}+{in2}</c> —
/// <c>head|lr-aspp:128|c19|256x16x32+24x32x64</c>.
/// </summary>
public static class LutKeys
{
    public static string Shape(int[] chw) => string.Join('x', chw);

    public static string Shape(ValueShape shape) => Shape(shape.ToArray());

    public static string For(string label, IReadOnlyList<ValueShape> inputs, ValueShape output, int stride) =>
        inputs.Count == 1
            ? $"{label}|{Shape(inputs[0])}|{Shape(output)}|s{stride}"
            : $"{label}|{string.Join('+', inputs.Select(Shape))}";

    /// <summary>A file-system-safe version of a key.</summary>
    public static string FileName(string key) => key.Replace('|', '_').Replace(':', '-').Replace('+', '_') + ".onnx";
}
