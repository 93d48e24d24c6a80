using Nas.Models.Registry;
using Nas.Supernet;
using Nas.Supernet.Networks;
using static TorchSharp.torch;

namespace Nas.Retrain.Tests.Zoo;

/// <summary>A few optimiser steps on one small fixed batch reduce the loss of every ENet/ESPNet variant (training mode: dropout, BatchNorm).</summary>
public class ZooTrainingStepTests
{
    private const int Classes = 5, Height = 32, Width = 48;

    [Theory]
    [InlineData("enet", "")]
    [InlineData("enet", "encoder")]
    [InlineData("enet-relu-deconv", "")]
    [InlineData("espnet", "")]
    [InlineData("espnet-c", "")]
    public void Three_steps_reduce_the_loss(string model, string stage)
    {
        TorchRuntime.SetThreads(2);
        manual_seed(3);
        var options = stage.Length == 0 ? null : new Dictionary<string, string> { ["stage"] = stage };
        using var network = new NetworkModule(ModelRegistry.Build(ModelRegistry.TryGet(model)!, Classes, options));
        network.train();
        using var optimizer = TorchSharp.torch.optim.Adam(network.parameters(), lr: 5e-3);
        using Tensor images = randn(2, 3, Height, Width);
        using Tensor labels = Labels();

        var losses = new List<float>();
        for (int step = 0; step < 3; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            (Tensor main, var auxiliary) = network.ForwardForTraining(images);
            Assert.Empty(auxiliary);
            Assert.Equal([2L, Classes, Height, Width], main.shape);
            Tensor loss = nn.functional.cross_entropy(main, labels);
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }

        Assert.True(losses[^1] < losses[0], $"losses {string.Join(", ", losses)}");
    }

    /// <summary>Class blocks of 8x8 pixels: learnable from position alone.</summary>
    private static Tensor Labels()
    {
        var values = new long[2 * Height * Width];
        for (int i = 0; i < values.Length; i++)
        {
            int y = (i / Width) % Height, x = i % Width;
            values[i] = ((y / 8) + (x / 8)) % Classes;
        }

        return tensor(values, [2, Height, Width]);
    }
}
