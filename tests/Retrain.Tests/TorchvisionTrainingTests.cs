using Nas.Models.Registry;
using Nas.Retrain.Training;
using Nas.Supernet;
using Nas.Supernet.Checkpoints;
using Nas.Supernet.Networks;
using Nas.TestSupport;
using Nas.TorchTestSupport;
using Nas.Training.Batches;
using Nas.Training.Losses;
using Nas.Training.Runs;
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

    /// <summary>
    /// The trainer adds the auxiliary head's cross-entropy at weight 0.5: with the same main weights, seed and batch, the
    /// first training loss minus that of the network built with <c>aux=false</c> is half the auxiliary cross-entropy.
    /// </summary>
    [Fact]
    public void The_trainer_adds_the_auxiliary_loss_at_one_half_and_aux_false_trains_without_it()
    {
        const string Model = "deeplabv3-mobilenet-v3-large";
        var options = new TrainOptions { Epochs = 1, Lr = 1e-6, Seed = 5 };
        TensorBatch batch = Source().Epoch(0, default).Single();
        double auxLoss;
        using (var scope = NewDisposeScope())
        using (var probe = Fresh(Model))
        using (var ce = new SegmentationLoss())
        {
            probe.train();
            manual_seed(options.Seed);
            (_, IReadOnlyList<(Tensor Logits, double Weight)> aux) = probe.ForwardForTraining(batch.Images);
            auxLoss = ce.Compute(Assert.Single(aux).Logits, batch.Labels).item<float>();
        }

        double with;
        using (var network = Fresh(Model))
        {
            with = FirstLoss(network, options);
        }

        double without;
        using (var network = new NetworkModule(ModelRegistry.Resolve($"{Model}:aux=false", 4)))
        using (var source = Fresh(Model))
        {
            Assert.False(network.HasAuxiliaryOutputs);
            var main = source.state_dict().Where(kv => !kv.Key.StartsWith("aux_classifier.", StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value);
            network.load_state_dict(main, strict: true);
            without = FirstLoss(network, options);
        }

        Assert.True(Math.Abs(with - without - (0.5 * auxLoss)) < 0.02 * auxLoss, $"train loss with aux {with:F4}, without {without:F4}; half the aux cross-entropy {0.5 * auxLoss:F4}");
    }

    private static PatternBatchSource Source() => new(7, 1, 2, 48, 48, 4);

    private static NetworkModule Fresh(string arch)
    {
        TorchRuntime.SetThreads(2);
        manual_seed(11);
        return new NetworkModule(ModelRegistry.Resolve(arch, 4));
    }

    private static double FirstLoss(NetworkModule network, TrainOptions options)
    {
        using var dir = new TempDirectory();
        RunFolder run = RunFolder.Open(dir.Combine("run"), "train", options, false, force: false);
        TrainResult result = new SegmentationTrainer(options).Run(run, network, Source(), null, NasCheckpoint.MetadataFor(network));
        return Assert.Single(result.History).TrainLoss;
    }
}
