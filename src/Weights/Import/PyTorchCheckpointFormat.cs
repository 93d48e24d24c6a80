namespace Nas.Weights.Import;

/// <summary>The two container formats of <c>torch.save</c>.</summary>
public enum PyTorchCheckpointFormat
{
    /// <summary>torch &lt; 1.6, or <c>_use_new_zipfile_serialization=False</c>: a stream of pickles followed by raw storages.</summary>
    Legacy,

    /// <summary>torch ≥ 1.6: a zip archive holding <c>data.pkl</c> and one file per storage.</summary>
    Zip,
}
