using Nas.Core.Graphs.Nodes;
using Nas.Supernet.Graphs;
using Nas.Supernet.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nas.Supernet.Networks;

/// <summary>
/// The official SqueezeNAS initialisation, used for every network: convolutions and transposed convolutions
/// Kaiming-normal (fan_out, ReLU), BatchNormalization weight 1 and bias 0; biases and PReLU slopes keep TorchSharp's
/// defaults. Transposed convolutions whose graph node asks for it (<see cref="ConvTransposeNode.BilinearInit"/>)
/// start as Caffe's bilinear kernel instead.
/// </summary>
public static class WeightInit
{
    public static void Apply(nn.Module module)
    {
        using var noGrad = no_grad();
        foreach (nn.Module m in module.modules())
        {
            switch (m)
            {
                case Conv2d conv:
                    nn.init.kaiming_normal_(conv.weight!, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
                    break;
                case ConvTranspose2d deconv:
                    nn.init.kaiming_normal_(deconv.weight!, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
                    break;
                case BatchNormalization bn:
                    bn.weight.fill_(1.0);
                    bn.bias.zero_();
                    break;
            }
        }

        // TorchSharp's modules() lists the descendants only, so the module itself is added.
        foreach (nn.Module m in module.modules().Prepend(module).Distinct())
        {
            if (m is GraphModule graph)
            {
                foreach (ConvTransposeNode node in graph.Graph.Nodes.OfType<ConvTransposeNode>().Where(n => n.BilinearInit))
                {
                    var deconv = (ConvTranspose2d)graph.Layer(node.Name)!;
                    using Tensor kernel = tensor(node.BilinearKernel(), [1, 1, node.Kernel.H, node.Kernel.W], deconv.weight!.dtype, deconv.weight.device);
                    deconv.weight.copy_(kernel.expand_as(deconv.weight));
                }
            }
        }
    }
}
