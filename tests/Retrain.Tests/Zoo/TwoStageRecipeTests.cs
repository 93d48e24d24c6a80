using Microsoft.Extensions.Logging.Abstractions;
using Nas.Core;
using Nas.Data.Synthetic;
using Nas.Models.Registry;
using Nas.Retrain.Initialization;
using Nas.Retrain.Runs;
using Nas.Retrain.Training;
using Nas.Supernet;
using Nas.Supernet.Checkpoints;
using Nas.Supernet.Networks;
using Nas.TestSupport;
using Nas.Training.Data;
using Nas.Training.Tensors;
using Nas.Weights.Checkpoints;

namespace Nas.Retrain.Tests.Zoo;

/// <summary>
/// ENet's two-stage recipe: <c>--stage encoder</c> trains the encoder with its own classifier, then <c>--init</c> with
/// that run's checkpoint starts the full network from the encoder weights (decoder fresh, encoder classifier unused).
/// </summary>
public class TwoStageRecipeTests
{
    private static TrainRunConfig Config(string data, string stage, string init) => new()
    {
        Arch = "enet",
        Stage = stage,
        Init = init,
        Data = new DataConfig { Dataset = "synthetic", Root = data, Batch = 2, Crop = "32x64", ScaleMin = 1, ScaleMax = 1, Workers = 1 },
        Train = new TrainOptions { Epochs = 1, Lr = 0.01, Seed = 1 },
    };

    [Fact]
    public void The_encoder_stage_checkpoint_initialises_the_full_network()
    {
        using var dir = new TempDirectory();
        TorchRuntime.SetThreads(2);
        SyntheticRailGenerator.WriteDataset(dir.Combine("data"), 8, 32, 64, seed: 3);
        TrainWorkflow.Run(Config(dir.Combine("data"), "encoder", "none"), dir.Combine("encoder"), false, false, NullLoggerFactory.Instance);
        string encoderCkpt = dir.Combine("encoder", "checkpoints", "best.ckpt");
        CheckpointFile encoder = CheckpointFile.Load(encoderCkpt);
        Assert.Equal("encoder", encoder.Network().Architecture.Options!["stage"]);
        Assert.Contains(encoder.ByName.Keys, k => k.StartsWith("encoder_classifier.", StringComparison.Ordinal));

        using var full = new NetworkModule(ModelRegistry.Resolve("enet", encoder.Metadata.Classes));
        WeightInitializer.Apply(encoderCkpt, full);
        var state = TorchTensors.StateOf(full).ToDictionary(t => t.Name);
        string[] encoderKeys = [.. state.Keys.Where(full.Spec.IsEncoderTensor)];
        Assert.Equal(encoder.ByName.Keys.Count(k => !k.StartsWith("encoder_classifier.", StringComparison.Ordinal)), encoderKeys.Length);
        Assert.All(encoderKeys, k => Assert.True(encoder.ByName[k].Bytes.AsSpan().SequenceEqual(state[k].Bytes), $"{k} differs from the encoder checkpoint"));

        TrainWorkflow.Run(Config(dir.Combine("data"), "full", encoderCkpt), dir.Combine("full"), false, false, NullLoggerFactory.Instance);
        string log = File.ReadAllText(dir.Combine("full", "log.txt"));
        Assert.Contains($"loaded {encoderKeys.Length} tensors that", log, StringComparison.Ordinal);
        Assert.Contains("not used: encoder_classifier", log, StringComparison.Ordinal);
    }

    [Fact]
    public void A_checkpoint_sharing_nothing_is_a_one_line_error()
    {
        using var dir = new TempDirectory();
        TorchRuntime.SetThreads(2);
        using var other = new NetworkModule(ModelRegistry.Resolve("espnet-c", 5));
        string path = dir.Combine("espnet-c.ckpt");
        NasCheckpoint.Save(path, other, NasCheckpoint.MetadataFor(other));
        using var enet = new NetworkModule(ModelRegistry.Resolve("enet", 5));

        var e = Assert.Throws<NasException>(() => WeightInitializer.Apply(path, enet));

        Assert.Contains("espnet-c.ckpt", e.Message, StringComparison.Ordinal);
        Assert.Contains("nothing to initialise it with", e.Message, StringComparison.Ordinal);
    }
}
