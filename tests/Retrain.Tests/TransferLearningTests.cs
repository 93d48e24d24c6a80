using Microsoft.Extensions.Logging.Abstractions;
using Nas.Core;
using Nas.Data.Synthetic;
using Nas.Retrain.Runs;
using Nas.Retrain.Training;
using Nas.TestSupport;
using Nas.Training.Data;

namespace Nas.Retrain.Tests;

public class TransferLearningTests
{
    private static TrainRunConfig Config(string data, string init, double lr, int epochs) => new()
    {
        Arch = "squeezenas-mac-small",
        Init = init,
        Data = new DataConfig { Dataset = "synthetic", Root = data, Batch = 4, Crop = "128x256", ScaleMin = 0.75, ScaleMax = 1.25, Workers = 2 },
        Train = new TrainOptions { Epochs = epochs, Lr = lr, Seed = 1 },
    };

    [SkippableFact]
    public void FineTuningTheOfficialWeightsOnSyntheticRailScenesImprovesValidationMiou()
    {
        string? pth = SharedAssets.File("pretrained", "squeezenas", "mac_small.pth");
        Skip.If(pth is null, "needs ../shared/pretrained/squeezenas/mac_small.pth");
        using var dir = new TempDirectory();
        SyntheticRailGenerator.WriteDataset(dir.Combine("data"), 60, 128, 256, seed: 4);
        TrainResult result = TrainWorkflow.Run(Config(dir.Combine("data"), pth!, 0.01, 4), dir.Combine("run"), false, false, NullLoggerFactory.Instance);
        double first = result.History[0].ValMiou, last = result.History[^1].ValMiou;
        Assert.True(last > first, $"val mIoU {first:P2} after epoch 1, {last:P2} after epoch {result.History.Count}");
        Assert.Contains("loaded 366 tensors", File.ReadAllText(dir.Combine("run", "log.txt")));
    }

    [Fact]
    public void ADivergingLossStopsWithAClearErrorAndKeepsTheLastGoodCheckpoint()
    {
        using var dir = new TempDirectory();
        SyntheticRailGenerator.WriteDataset(dir.Combine("data"), 24, 64, 128, seed: 2);
        TrainRunConfig config = Config(dir.Combine("data"), "none", 1e12, 3) with
        {
            Data = Config(dir.Combine("data"), "none", 1e12, 3).Data with { Crop = "64x128" },
            Train = new TrainOptions { Epochs = 3, Lr = 1e12, Momentum = 0.9, Seed = 1 },
        };
        NasException e = Assert.Throws<NasException>(() => TrainWorkflow.Run(config, dir.Combine("run"), false, false, NullLoggerFactory.Instance));
        Assert.Contains("loss became", e.Message);
        Assert.Empty(Directory.GetFiles(dir.Combine("run"), "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void AnUnwritableOutputFolderIsAOneLineError()
    {
        using var dir = new TempDirectory();
        SyntheticRailGenerator.WriteDataset(dir.Combine("data"), 12, 64, 128, seed: 2);
        string blocker = dir.Combine("file-not-folder");
        File.WriteAllText(blocker, "x");
        NasException e = Assert.Throws<NasException>(() =>
            TrainWorkflow.Run(Config(dir.Combine("data"), "none", 0.01, 1), Path.Combine(blocker, "run"), false, false, NullLoggerFactory.Instance));
        Assert.Contains("file-not-folder", e.Message);
    }
}
