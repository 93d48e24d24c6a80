using System.Security.Cryptography;
using Nas.Core;
using Nas.Core.SearchSpaces;
using Nas.OneShot.Supernets;
using Nas.OneShot.Training;
using Nas.Supernet.Checkpoints;
using Nas.Weights.Checkpoints;

namespace Nas.OneShot.Evaluation;

/// <summary>
/// A trained supernet checkpoint of <c>nas supernet train</c> with what it was trained on: its space, class count,
/// input size and run configuration (data, held-out share, seed), read and checked before anything is written.
/// </summary>
public sealed class SupernetFile
{
    private SupernetFile(string path, CheckpointFile checkpoint, SupernetTrainConfig config, SearchSpace space)
    {
        Path = path;
        Checkpoint = checkpoint;
        Config = config;
        Space = space;
    }

    public string Path { get; }

    public CheckpointFile Checkpoint { get; }

    public SupernetTrainConfig Config { get; }

    public SearchSpace Space { get; }

    public int Classes => Checkpoint.Metadata.Classes;

    public InputSize Input => Config.Data.CropSize;

    /// <param name="rootOverride">The dataset folder when the data has moved since training.</param>
    /// <param name="expectedSpace">When given, the supernet must be of this space.</param>
    public static SupernetFile Open(string path, string? rootOverride = null, SearchSpace? expectedSpace = null)
    {
        string full = System.IO.Path.GetFullPath(path);
        CheckpointFile checkpoint = CheckpointFile.Load(full);
        SupernetTrainConfig config = SupernetTrainWorkflow.ConfigOf(checkpoint);
        if (rootOverride is not null)
        {
            config = config with { Data = config.Data with { Root = System.IO.Path.GetFullPath(rootOverride) } };
        }

        SearchSpace space = SearchSpace.Create(checkpoint.Metadata.Space!, $"{full}:{CheckpointFile.MetaEntry}");
        if (expectedSpace is not null && !expectedSpace.Equals(space))
        {
            throw new NasException($"{full}: the supernet is of space '{space.Name}' ({space.CanonicalString}), not '{expectedSpace.Name}' ({expectedSpace.CanonicalString})");
        }

        return new SupernetFile(full, checkpoint, config, space);
    }

    /// <summary>SHA-256 of the checkpoint file (hex), so caches and resumed searches can tell a changed supernet.</summary>
    public string Sha256()
    {
        using FileStream stream = File.OpenRead(Path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public OneShotSupernet CreateSupernet() => OneShotSupernet.Load(Checkpoint);
}
