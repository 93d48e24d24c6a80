using Nas.Retrain.Training;
using Nas.Training.Data;

namespace Nas.Retrain.Runs;

/// <summary>
/// Everything a training run needs (saved as the run folder's <c>config.json</c>; <c>--config</c> takes the same
/// schema): the architecture, the initial weights, the data, the class weighting and the optimisation settings.
/// </summary>
public sealed record TrainRunConfig
{
    /// <summary>A published network name, a genotype JSON file or genotype text.</summary>
    public string Arch { get; init; } = "squeezenas-mac-small";

    /// <summary><c>none</c>, a Nas checkpoint (<c>.ckpt</c>) or an official PyTorch state dict (<c>.pth</c>).</summary>
    public string Init { get; init; } = "none";

    /// <summary><c>none</c>, <c>enet</c> (1 / ln(1.02 + p_class) from the training labels) or a file of one weight per class.</summary>
    public string ClassWeights { get; init; } = "none";

    public int Threads { get; init; } = 2;

    public DataConfig Data { get; init; } = new();

    public TrainOptions Train { get; init; } = new();
}
