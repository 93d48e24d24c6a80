using System.Globalization;
using Nas.Core.Graphs;

namespace Nas.Models.Zoo.Torchvision;

/// <summary>
/// torchvision's ResNet-50 body up to <c>layer4</c> (what <c>IntermediateLayerGetter</c> keeps): <c>conv1</c> 7×7/2,
/// <c>bn1</c>, <c>relu</c>, <c>maxpool</c> 3×3/2 pad 1 (floor), then <c>layer1…layer4</c> of [3, 4, 6, 3] Bottlenecks
/// (1×1, 3×3 carrying the stride and dilation, 1×1 to 4 × planes; <c>downsample</c> = 1×1 conv + BN on block 0) with
/// <c>replace_stride_with_dilation</c>: a dilated layer has stride 1, its block 0 keeps the previous dilation and the
/// other blocks use previous × stride. BatchNorm defaults (eps 1e-5, momentum 0.1). Node names are the module paths
/// under the scope (<c>backbone.layer3.1.conv2</c>).
/// </summary>
public static class ResNetFeatures
{
    public const int Expansion = 4;

    public static IReadOnlyList<int> Resnet50Blocks { get; } = [3, 4, 6, 3];

    /// <summary>Writes the body; returns the output of <c>layer1…layer4</c> (index 0…3).</summary>
    public static IReadOnlyList<string> Build(GraphBuilder b, string x, IReadOnlyList<int> blocks, IReadOnlyList<bool> replaceStrideWithDilation, string scope = "backbone")
    {
        if (blocks.Count != 4 || replaceStrideWithDilation.Count != 3)
        {
            throw new Core.NasException($"ResNet needs 4 layer depths and 3 replace_stride_with_dilation flags (got {blocks.Count} and {replaceStrideWithDilation.Count})");
        }

        var layers = new List<string>();
        using (b.Scope(scope))
        {
            x = b.Conv("conv1", x, 64, 7, 2, 3);
            b.Part("conv1", "conv 7x7/2 3->64", 2);
            x = b.BatchNorm("bn1", x);
            b.Part("bn1", "batch norm 64", 1);
            x = b.Relu("relu", x);
            b.Part("relu", "relu", 1);
            x = b.MaxPool("maxpool", x, 3, 2, 1);
            b.Part("maxpool", "max pool 3x3/2", 2);
            int inplanes = 64, dilation = 1;
            for (int l = 0; l < 4; l++)
            {
                int planes = 64 << l;
                int stride = l == 0 ? 1 : 2;
                int previousDilation = dilation;
                if (l > 0 && replaceStrideWithDilation[l - 1])
                {
                    dilation *= stride;
                    stride = 1;
                }

                string layer = $"layer{l + 1}";
                for (int k = 0; k < blocks[l]; k++)
                {
                    string name = $"{layer}.{k.ToString(CultureInfo.InvariantCulture)}";
                    int blockStride = k == 0 ? stride : 1;
                    int blockDilation = k == 0 ? previousDilation : dilation;
                    bool downsample = k == 0 && (stride != 1 || inplanes != planes * Expansion);
                    using (b.Scope(name))
                    {
                        x = Bottleneck(b, x, planes, blockStride, blockDilation, downsample);
                    }

                    b.Part(name, $"bottleneck {inplanes}->{planes}->{planes * Expansion}" + (blockStride > 1 ? $" /{blockStride}" : string.Empty)
                        + (blockDilation > 1 ? $" d{blockDilation}" : string.Empty), blockStride);
                    inplanes = planes * Expansion;
                }

                layers.Add(x);
            }
        }

        return layers;
    }

    /// <summary>torchvision's <c>Bottleneck</c> (v1.5: the stride on the 3×3) in the current scope.</summary>
    private static string Bottleneck(GraphBuilder b, string x, int planes, int stride, int dilation, bool downsample)
    {
        string y = b.Relu("relu1", b.BatchNorm("bn1", b.Conv("conv1", x, planes, 1)));
        y = b.Relu("relu2", b.BatchNorm("bn2", b.Conv("conv2", y, planes, 3, stride, dilation, dilation)));
        y = b.BatchNorm("bn3", b.Conv("conv3", y, planes * Expansion, 1));
        string identity = downsample ? b.BatchNorm("downsample.1", b.Conv("downsample.0", x, planes * Expansion, 1, stride)) : x;
        return b.Relu("relu", b.Add("add", y, identity));
    }
}
