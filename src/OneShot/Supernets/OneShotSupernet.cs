using Nas.Core;
using Nas.Core.Genotypes;
using Nas.Core.SearchSpaces;
using Nas.Supernet.Checkpoints;
using Nas.Supernet.Layers;
using Nas.Supernet.Networks;
using Nas.Supernet.Sampling;
using Nas.Weights.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nas.OneShot.Supernets;

/// <summary>
/// The one place where the one-shot code touches the supernet's internals (kept small so the supernet can be
/// redesigned behind it): run one fixed path (a genotype as candidate indices), the trainable weights, the
/// BatchNorm layers on a path, sub-network extraction and checkpoints. The architecture logits of the underlying
/// supernet are never trained here (they stay at their initial value and are saved only because the checkpoint
/// format carries them).
/// </summary>
public sealed class OneShotSupernet : IDisposable
{
    private const string BlocksPrefix = "blocks.";
    private const string CandidatesPart = ".candidates.";

    private readonly SqueezeNasSupernet _net;
    private IReadOnlyList<Parameter>? _trainable;

    public OneShotSupernet(SearchSpace space, int classes)
        : this(new SqueezeNasSupernet(space, classes))
    {
    }

    private OneShotSupernet(SqueezeNasSupernet net)
    {
        _net = net;
    }

    public SearchSpace Space => _net.Space;

    public int Classes => _net.Classes;

    /// <summary>Builds the supernet of a <c>supernet</c> checkpoint and loads its weights (strict).</summary>
    public static OneShotSupernet Load(CheckpointFile checkpoint) => new(checkpoint.CreateSupernet());

    /// <summary>Every parameter except the architecture logits.</summary>
    public IReadOnlyList<Parameter> TrainableParameters() => _trainable ??= _net.WeightParameters();

    public void Train() => _net.train();

    public void Eval() => _net.eval();

    /// <summary>Runs the network of <paramref name="path"/> (one candidate index per position) on a batch.</summary>
    public Tensor Forward(Tensor input, IReadOnlyList<int> path)
    {
        CheckPath(path);
        return _net.Forward(input, _net.PathOf(Genotype.FromIndices(Space, path)));
    }

    /// <summary>
    /// The BatchNorm layers the network of <paramref name="path"/> runs through (stem, the path's candidates, last conv
    /// and head) with their state-dict names.
    /// </summary>
    public IReadOnlyList<(string Name, BatchNormalization Layer)> PathBatchNorms(IReadOnlyList<int> path)
    {
        CheckPath(path);
        var result = new List<(string, BatchNormalization)>();
        foreach ((string name, nn.Module module) in _net.named_modules())
        {
            if (module is BatchNormalization bn && OnPath(name, path))
            {
                result.Add((name, bn));
            }
        }

        return result;
    }

    /// <summary>A standalone network of <paramref name="genotype"/> initialised with the supernet's weights for its path.</summary>
    public NetworkModule ExtractNetwork(NamedGenotype genotype) => _net.ExtractNetwork(genotype);

    /// <summary>Writes the supernet (and extra checkpoint entries) atomically.</summary>
    public void Save(string path, string source, int epoch, IReadOnlyDictionary<string, byte[]> extras) =>
        NasCheckpoint.Save(path, _net, NasCheckpoint.MetadataFor(_net, source, epoch), extras);

    /// <summary>Loads the weights of a checkpoint of this supernet (strict).</summary>
    public void LoadWeights(CheckpointFile checkpoint)
    {
        if (checkpoint.Metadata.Kind != "supernet")
        {
            throw new NasException($"{checkpoint.Path}: is a '{checkpoint.Metadata.Kind}' checkpoint, not a supernet");
        }

        StateDictLoader.Load(_net, checkpoint.ByName, checkpoint.Path);
    }

    public void Dispose() => _net.Dispose();

    /// <summary>True for modules outside the searchable blocks and for the chosen candidate of each block.</summary>
    private static bool OnPath(string name, IReadOnlyList<int> path)
    {
        if (!name.StartsWith(BlocksPrefix, StringComparison.Ordinal))
        {
            return true;
        }

        // blocks.{p}.candidates.{k}.…
        int dot = name.IndexOf('.', BlocksPrefix.Length);
        if (dot < 0)
        {
            return false;
        }

        int position = int.Parse(name.AsSpan(BlocksPrefix.Length, dot - BlocksPrefix.Length), System.Globalization.CultureInfo.InvariantCulture);
        string rest = name[dot..];
        if (!rest.StartsWith(CandidatesPart, StringComparison.Ordinal))
        {
            return false;
        }

        int end = rest.IndexOf('.', CandidatesPart.Length);
        ReadOnlySpan<char> candidate = end < 0 ? rest.AsSpan(CandidatesPart.Length) : rest.AsSpan(CandidatesPart.Length, end - CandidatesPart.Length);
        return int.Parse(candidate, System.Globalization.CultureInfo.InvariantCulture) == path[position];
    }

    private void CheckPath(IReadOnlyList<int> path)
    {
        if (path.Count != Space.PositionCount)
        {
            throw new NasException($"a path of the supernet needs {Space.PositionCount} positions (got {path.Count})");
        }

        foreach (int k in path)
        {
            if (k < 0 || k >= Space.Candidates.Count)
            {
                throw new NasException($"candidate index {k} is outside [0, {Space.Candidates.Count - 1}]");
            }
        }
    }
}
