using Nas.Models.Registry;
using Nas.Supernet;
using Nas.Supernet.Networks;
using Nas.TorchTestSupport;
using Nas.Training.Batches;
using static TorchSharp.torch;

namespace Nas.Retrain.Tests;

/// <summary>Each Caffe-defined family (FPN, U-Net, FCN-AlexNet) learns: a few SGD steps on one batch reduce its loss.</summary>
public class CaffeZooTrainingTests
{
    [Theory]
    [InlineData("fpn", 32, 64, 0.01)]
    [InlineData("unet-lite", 16, 32, 0.01)]
    [InlineData("fcn-alexnet", 32, 40, 0.001)]
    public void A_few_steps_reduce_the_loss(string model, int height, int width, double lr)
    {
        TorchRuntime.SetThreads(2);
        manual_seed(3);
        using var network = new NetworkModule(ModelRegistry.Resolve(model, classes: 4));
        network.train();
        using TensorBatch batch = new PatternBatchSource(7, 1, 2, height, width, 4).Epoch(0, CancellationToken.None).Single();
        using var sgd = optim.SGD(network.parameters(), lr, momentum: 0.9);
        double first = Loss();
        for (int step = 0; step < 3; step++)
        {
            using var scope = NewDisposeScope();
            sgd.zero_grad();
            manual_seed(11); // the same dropout masks at every step
            Tensor loss = nn.functional.cross_entropy(network.call(batch.Images), batch.Labels, ignore_index: 255);
            loss.backward();
            sgd.step();
        }

        double last = Loss();
        Assert.True(double.IsFinite(first) && last < first, $"{model}: loss {first:F4} -> {last:F4} after 3 steps");

        double Loss()
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            manual_seed(11);
            return nn.functional.cross_entropy(network.call(batch.Images), batch.Labels, ignore_index: 255).item<float>();
        }
    }
}
