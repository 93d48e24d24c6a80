using Nas.Supernet.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nas.Supernet.Networks;

/// <summary>The official initialisation: convolutions Kaiming-normal (fan_out, ReLU), BatchNormalization weight 1 and bias 0.</summary>
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
                case BatchNormalization bn:
                    bn.weight.fill_(1.0);
                    bn.bias.zero_();
                    break;
            }
        }
    }
}
