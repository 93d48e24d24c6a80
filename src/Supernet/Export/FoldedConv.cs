using Nas.Supernet.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nas.Supernet.Export;

/// <summary>
/// A convolution with its BatchNormalization folded in (inference form): w' = w·γ/√(σ²+ε), b' = β + (b − μ)·γ/√(σ²+ε).
/// </summary>
public sealed record FoldedConv(float[] Weight, long[] WeightShape, float[] Bias, int Stride, int Padding, int Dilation, int Groups)
{
    public static FoldedConv From(Conv2d conv, BatchNormalization? bn)
    {
        using var noGrad = no_grad();
        float[] w = conv.weight.detach().cpu().contiguous().data<float>().ToArray();
        long[] shape = conv.weight.shape;
        int outChannels = (int)shape[0];
        long perOut = w.Length / outChannels;
        float[] b = conv.bias is Parameter cb ? cb.detach().cpu().data<float>().ToArray() : new float[outChannels];
        if (bn is not null)
        {
            float[] gamma = bn.weight.detach().cpu().data<float>().ToArray();
            float[] beta = bn.bias.detach().cpu().data<float>().ToArray();
            float[] mean = bn.running_mean.cpu().data<float>().ToArray();
            float[] variance = bn.running_var.cpu().data<float>().ToArray();
            for (int o = 0; o < outChannels; o++)
            {
                double scale = gamma[o] / Math.Sqrt(variance[o] + bn.Eps);
                for (long i = 0; i < perOut; i++)
                {
                    w[(o * perOut) + i] = (float)(w[(o * perOut) + i] * scale);
                }

                b[o] = (float)(beta[o] + ((b[o] - mean[o]) * scale));
            }
        }

        return new FoldedConv(w, shape, b, (int)conv.stride[0], (int)(conv.padding?[0] ?? 0), (int)conv.dilation[0], (int)conv.groups);
    }
}
