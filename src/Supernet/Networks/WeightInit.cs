using Nas.Supernet.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nas.Supernet.Networks;

/// <summary>
/// The official SqueezeNAS initialisation, used for every network: convolutions and transposed convolutions
/// Kaiming-normal (fan_out, ReLU), BatchNormalization weight 1 and bias 0; biases and PReLU slopes keep TorchSharp's
/// defaults.
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
    }
}
