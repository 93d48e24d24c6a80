using Microsoft.Extensions.Logging.Abstractions;
using Nas.Data.Synthetic;
using Nas.OneShot.Training;
using Nas.Supernet;
using Nas.TestSupport;
using Nas.Training.Data;

namespace Nas.OneShot.Tests;

/// <summary>Synthetic rail scenes (32 at 64×128) and a Small-space supernet trained on them for 2 epochs, shared by a test class.</summary>
public sealed class TinySupernetFixture : IDisposable
{
    private readonly TempDirectory _dir = new("nas-oneshot");

    public TinySupernetFixture()
    {
        TorchRuntime.SetThreads(2);
        DataRoot = _dir.Combine("data");
        SyntheticRailGenerator.WriteDataset(DataRoot, 32, 64, 128, seed: 5);
        Config = new SupernetTrainConfig
        {
            Space = "small",
            Holdout = 0.25,
            Data = new DataConfig { Dataset = "synthetic", Root = DataRoot, Crop = "64x128", Batch = 4, Workers = 1 },
            Train = new SupernetTrainOptions { Epochs = 2, Seed = 1 },
        };
        SupernetTrainWorkflow.Run(Config, _dir.Combine("supernet"), resume: false, force: false, NullLoggerFactory.Instance);
        Checkpoint = _dir.Combine("supernet", "checkpoints", "last.ckpt");
    }

    public string DataRoot { get; }

    public SupernetTrainConfig Config { get; }

    public string Checkpoint { get; }

    public void Dispose() => _dir.Dispose();
}
