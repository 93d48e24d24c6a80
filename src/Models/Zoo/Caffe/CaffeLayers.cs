using System.Text;
using Nas.Core.Graphs;

namespace Nas.Models.Zoo.Caffe;

/// <summary>
/// The Caffe layer → graph node rules shared by the networks defined only by Caffe prototxts (<c>fpn</c>,
/// <c>unet-full</c>, <c>unet-lite</c>, <c>fcn-alexnet</c>; docs/zoo/caffe-mapping.md): node names are the Caffe layer
/// names with every character outside [A-Za-z0-9_] replaced by <c>_</c> (so a state dict named after the Caffe layers
/// loads by name), convolutions have a bias (Caffe's <c>bias_term</c> default), and the tutorial fork's
/// <c>BatchNorm</c> (γ, β, mean, variance, counter in one layer) is one BatchNorm node with the prototxt's eps and
/// the momentum of its moving average.
/// </summary>
public static class CaffeLayers
{
    /// <summary>The tutorial prototxts' <c>batch_norm_param { eps: 1e-05 }</c>.</summary>
    public const double BatchNormEps = 1e-5;

    /// <summary>
    /// 1 − <c>moving_average_fraction</c> (0.999, the fork's default, which the prototxts keep): the running statistics
    /// move by 0.1 % of the batch statistics per step, as in Caffe.
    /// </summary>
    public const double BatchNormMomentum = 0.001;

    /// <summary>The module name of a Caffe layer: <c>inception_3a/1x1</c> → <c>inception_3a_1x1</c>, <c>conv_d0a-b</c> → <c>conv_d0a_b</c>.</summary>
    public static string Name(string caffeLayer)
    {
        var s = new StringBuilder(caffeLayer.Length);
        foreach (char c in caffeLayer)
        {
            s.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }

        return s.ToString();
    }

    /// <summary>A Caffe <c>Convolution</c> (with bias): <c>out = ⌊(in + 2p − k)/s⌋ + 1</c>.</summary>
    public static string Conv(GraphBuilder b, string caffeLayer, string x, int outChannels, int kernel, int stride = 1, int pad = 0, int group = 1) =>
        b.Conv(Name(caffeLayer), x, outChannels, kernel, stride, pad, groups: group, bias: true);

    /// <summary>The fork's <c>BatchNorm</c> layer.</summary>
    public static string BatchNorm(GraphBuilder b, string caffeLayer, string x) =>
        b.BatchNorm(Name(caffeLayer), x, BatchNormEps, BatchNormMomentum);

    /// <summary>A Caffe <c>ReLU</c> (in place or not: the graph value is new either way, and later readers use it).</summary>
    public static string Relu(GraphBuilder b, string caffeLayer, string x) => b.Relu(Name(caffeLayer), x);

    /// <summary>A Caffe MAX <c>Pooling</c>: always ceil mode (<c>out = ⌈(in + 2p − k)/s⌉ + 1</c>, PyTorch's correction).</summary>
    public static string MaxPool(GraphBuilder b, string caffeLayer, string x, int kernel, int stride, int pad = 0) =>
        b.MaxPool(Name(caffeLayer), x, kernel, stride, pad, ceilMode: true);
}
