using Nas.Core.Graphs.Nodes;
using Nas.Models;
using Nas.Models.Registry;
using Nas.Supernet.Networks;
using Nas.TorchTestSupport;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nas.Supernet.Tests.Zoo;

/// <summary>The Caffe-defined zoo networks as TorchSharp modules.</summary>
public class CaffeZooModuleTests
{
    [Fact]
    public void Fcn_alexnets_upsampling_starts_bilinear_and_is_trained()
    {
        NetworkSpec spec = ModelRegistry.Resolve("fcn-alexnet", classes: 3);
        TorchRuntime.SetThreads(2);
        using var network = new NetworkModule(spec);
        var upscore = (ConvTranspose2d)network.Layer("upscore")!;
        float[] kernel = ((ConvTransposeNode)spec.Graph.Node("upscore")).BilinearKernel();
        Assert.Equal([3L, 1, 63, 63], upscore.weight!.shape);
        Assert.Equal(kernel.Concat(kernel).Concat(kernel), upscore.weight.data<float>().ToArray());
        Assert.True(upscore.weight.requires_grad);
        Assert.Contains(network.named_parameters(), p => p.name == "upscore.weight");

        // Other transposed convolutions keep the random initialisation.
        using var fpn = new NetworkModule(ModelRegistry.Resolve("fpn"));
        var deconv = (ConvTranspose2d)fpn.Layer("upsample_p5")!;
        Assert.True(deconv.weight!.std().item<float>() > 0.01);
    }

    [Fact]
    public void The_bilinear_upsampling_of_a_constant_score_map_is_caffes()
    {
        // Caffe's k63/s32 filler (f = 32, c = 63/64) is the k64 kernel without its last tap: along each axis the
        // overlapping windows sum to 1, except at the one offset per period that only the missing tap would reach
        // (63/64), and fall off at the borders. A constant in gives exactly that coverage, times the constant.
        NetworkSpec spec = ModelRegistry.Resolve("fcn-alexnet", classes: 2);
        using var network = new NetworkModule(spec);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var upscore = (ConvTranspose2d)network.Layer("upscore")!;
        Tensor up = upscore.call(full(1, 2, 4, 5, 1.5f));
        Assert.Equal([1L, 2, 32 * 3 + 63, 32 * 4 + 63], up.shape);
        double[] rows = Coverage(4, 32 * 3 + 63), cols = Coverage(5, 32 * 4 + 63);
        float[] actual = up[0, 1].data<float>().ToArray();
        for (int y = 0; y < rows.Length; y++)
        {
            for (int x = 0; x < cols.Length; x++)
            {
                Assert.True(Math.Abs(actual[(y * cols.Length) + x] - (1.5 * rows[y] * cols[x])) < 1e-5, $"({y}, {x}): {actual[(y * cols.Length) + x]} vs {1.5 * rows[y] * cols[x]}");
            }
        }

        static double[] Coverage(int inputs, int outputs)
        {
            var sum = new double[outputs];
            for (int i = 0; i < inputs; i++)
            {
                for (int k = 0; k < 63; k++)
                {
                    sum[(32 * i) + k] += 1 - Math.Abs((k / 32.0) - (63.0 / 64));
                }
            }

            return sum;
        }
    }
}
