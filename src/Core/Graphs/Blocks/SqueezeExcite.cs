namespace Nas.Core.Graphs.Blocks;

/// <summary>
/// Squeeze-and-excitation as torchvision's <c>SqueezeExcitation</c>: global average pool, 1×1 conv (bias) to the
/// squeeze width, ReLU, 1×1 conv (bias) back, a gate activation (hard-sigmoid in MobileNetV3), and the input scaled by
/// the gate. Nodes: <c>{scope}avgpool</c>, <c>{scope}fc1</c>, <c>{scope}relu</c>, <c>{scope}fc2</c>, <c>{scope}gate</c>,
/// <c>{scope}scale</c> (scope given with its trailing dot, or empty).
/// </summary>
public static class SqueezeExcite
{
    public static string Build(GraphBuilder b, string x, string scope, int squeezeChannels, ActivationFunction gate = ActivationFunction.HardSigmoid)
    {
        int channels = b.Channels(x);
        string s = b.GlobalAvgPool($"{scope}avgpool", x);
        s = b.Conv($"{scope}fc1", s, squeezeChannels, 1, bias: true);
        s = b.Relu($"{scope}relu", s);
        s = b.Conv($"{scope}fc2", s, channels, 1, bias: true);
        s = b.Activation($"{scope}gate", s, gate);
        return b.Mul($"{scope}scale", s, x);
    }

    /// <summary>torchvision's <c>_make_divisible</c>: the nearest multiple of <paramref name="divisor"/>, never below 90 % of the value.</summary>
    public static int MakeDivisible(double value, int divisor = 8)
    {
        int rounded = Math.Max(divisor, (int)(value + (divisor / 2.0)) / divisor * divisor);
        return rounded < 0.9 * value ? rounded + divisor : rounded;
    }
}
