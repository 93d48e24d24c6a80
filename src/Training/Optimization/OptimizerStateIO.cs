using Nas.Core;
using static TorchSharp.torch;

namespace Nas.Training.Optimization;

/// <summary>Optimiser state (momentum buffers, Adam moments, step counts) to and from checkpoint entries.</summary>
public static class OptimizerStateIO
{
    public static byte[] Save(optim.Optimizer optimizer)
    {
        if (optimizer is not TorchSharp.Modules.OptimizerHelper helper)
        {
            throw new InvalidOperationException($"optimizer {optimizer.GetType().Name} cannot save its state");
        }

        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            helper.save_state_dict(writer);
        }

        return buffer.ToArray();
    }

    public static void Load(optim.Optimizer optimizer, byte[] state, string source)
    {
        if (optimizer is not TorchSharp.Modules.OptimizerHelper helper)
        {
            throw new InvalidOperationException($"optimizer {optimizer.GetType().Name} cannot load state");
        }

        try
        {
            using var buffer = new MemoryStream(state);
            using var reader = new BinaryReader(buffer);
            helper.load_state_dict(reader);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidOperationException or ArgumentException or IOException)
        {
            throw new NasException($"{source}: optimizer state does not match this run's optimizer ({e.Message})", e);
        }
    }

    /// <summary>Sets the learning rate of every parameter group.</summary>
    public static void SetLearningRate(optim.Optimizer optimizer, double lr)
    {
        foreach (optim.ILearningRateController group in optimizer.ParamGroups)
        {
            group.LearningRate = lr;
        }
    }
}
