using Nas.Models.Registry;
using Nas.Supernet;
using Nas.Supernet.Networks;
using Nas.TorchTestSupport;
using Nas.Training.Batches;
using Nas.Training.Losses;
using static TorchSharp.torch;

namespace Nas.Retrain.Tests;

/// <summary>A few steps on one tiny batch reduce the training loss of each torchvision family (aux head included).</summary>
public class TorchvisionTrainingTests
{
    [Theory]
    [InlineData("lraspp-mobilenet-v3-small", 64)]
    [InlineData("deeplabv3-mobilenet-v3-large", 64)]
    [InlineData("deeplabv3-resnet50", 32)]
    public void Three_steps_reduce_the_loss(string model, int size)
    {
        TorchRuntime.SetThreads(2);
        manual_seed(3);
        using var scope = NewDisposeScope();
        using var network = new NetworkModule(ModelRegistry.Resolve(model, 4));
        network.train();
        TensorBatch batch = new PatternBatchSource(7, 1, 2, size, size, 4).Epoch(0, default).Single();
        using var loss = new SegmentationLoss();
        using var optimizer = optim.Adam(network.parameters(), 1e-3);
        var losses = new List<double>();
        for (int step = 0; step < 4; step++)
        {
            using var stepScope = NewDisposeScope();
            (Tensor main, IReadOnlyList<(Tensor Logits, double Weight)> aux) = network.ForwardForTraining(batch.Images);
            Assert.Equal(model.StartsWith("deeplab", StringComparison.Ordinal) ? 1 : 0, aux.Count);
            Tensor total = loss.Compute(main, batch.Labels);
            foreach ((Tensor logits, double weight) in aux)
            {
                total = total + (weight * loss.Compute(logits, batch.Labels));
            }

            losses.Add(total.item<float>());
            if (step < 3)
            {
                optimizer.zero_grad();
                total.backward();
                optimizer.step();
            }
        }

        Assert.All(losses, l => Assert.True(double.IsFinite(l)));
        Assert.True(losses[^1] < losses[0], $"{model}: loss {string.Join(" -> ", losses.Select(l => l.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)))}");
    }
}
