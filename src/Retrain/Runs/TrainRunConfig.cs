using Nas.Core;
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

    /// <summary>
    /// <c>full</c>, or <c>encoder</c> for the first stage of the two-stage recipe: the encoder with a single 8×
    /// upsampling layer as the decoder (the model option <c>stage=encoder</c> of enet, enet-relu-deconv and espnet).
    /// </summary>
    public string Stage { get; init; } = "full";

    /// <summary>
    /// <c>none</c>, a Nas checkpoint (<c>.ckpt</c>; of this network, or of its other stage: the tensors both have are
    /// loaded) or an official PyTorch state dict (<c>.pth</c>).
    /// </summary>
    public string Init { get; init; } = "none";

    /// <summary><c>none</c>, <c>enet</c> (1 / ln(1.02 + p_class) from the training labels) or a file of one weight per class.</summary>
    public string ClassWeights { get; init; } = "none";

    public int Threads { get; init; } = 2;

    public DataConfig Data { get; init; } = new();

    public TrainOptions Train { get; init; } = new();

    /// <summary>The model options of <see cref="Stage"/>: none for <c>full</c>, <c>stage=encoder</c> for the encoder stage.</summary>
    public IReadOnlyDictionary<string, string>? ModelOptions() => Stage.Trim().ToLowerInvariant() switch
    {
        "full" => null,
        "encoder" => new Dictionary<string, string> { ["stage"] = "encoder" },
        _ => throw new NasException($"stage '{Stage}' is not full or encoder"),
    };
}
