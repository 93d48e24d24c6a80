namespace Nas.Core.Graphs.Blocks;

/// <summary>Convolution (no bias) + BatchNorm + optional activation, the unit of stems, heads and blocks.</summary>
public static class ConvBnAct
{
    /// <param name="act">The activation, or null for none (a linear bottleneck).</param>
    public static string Build(
        GraphBuilder b,
        string x,
        ConvLayerNames names,
        int outChannels,
        Pair kernel,
        Pair? stride = null,
        Pair? padding = null,
        Pair? dilation = null,
        int groups = 1,
        ActivationFunction? act = ActivationFunction.Relu,
        double bnEps = 1e-5,
        double bnMomentum = 0.1)
    {
        string y = b.Conv(names.Conv, x, outChannels, kernel, stride, padding, dilation, groups, bias: false, external: names.ConvExternal);
        y = b.BatchNorm(names.Norm, y, bnEps, bnMomentum, names.NormExternal);
        return act is ActivationFunction f ? b.Activation(names.Act, y, f) : y;
    }

    /// <summary>Padding that keeps out = ceil(in / stride) for an odd kernel: (k − 1) / 2 · dilation.</summary>
    public static int SamePadding(int kernel, int dilation = 1) => (kernel - 1) / 2 * dilation;
}
