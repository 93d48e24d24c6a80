using Nas.Core.Genotypes;
using Nas.Core.SearchSpaces;
using Nas.Supernet.Blocks;
using Nas.Supernet.Sampling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nas.Supernet.Networks;

/// <summary>
/// The supernet: a <see cref="MixedBlock"/> (all candidates + architecture logits) at every position of a space,
/// with the space's fixed stem, last conv and head. A forward pass runs one <see cref="ArchitectureSample"/>.
/// </summary>
public sealed class SqueezeNasSupernet : SegmentationNetwork
{
    [TorchSharp.Utils.ComponentName(Name = "blocks")]
    private readonly ModuleList<MixedBlock> _blocks;

    private ArchitectureSample? _current;

    public SqueezeNasSupernet(SearchSpace space, int classes, bool initialize = true)
        : base(nameof(SqueezeNasSupernet), space, classes)
    {
        _blocks = new ModuleList<MixedBlock>(space.Positions.Select(p => new MixedBlock(p, space.Candidates)).ToArray());
        RegisterComponents();
        if (initialize)
        {
            WeightInit.Apply(this);
        }
    }

    public IReadOnlyList<MixedBlock> Blocks => [.. _blocks];

    /// <summary>Sampling used by <see cref="forward(Tensor)"/>; explicit samples go through <see cref="Forward"/>.</summary>
    public SamplingMode Mode { get; set; } = SamplingMode.Argmax;

    public double Temperature
    {
        get;
        set
        {
            GumbelSoftmax.CheckTemperature(value);
            field = value;
        }
    }

    = 1.0;

    /// <summary>Generator for Gumbel noise (null = libtorch's global generator).</summary>
    public Generator? Generator { get; set; }

    /// <summary>
    /// Single-path mode: candidates run without gradient beside the sampled one so that positions followed by a
    /// non-residual block still get task-loss gradients (see <see cref="MixedBlock"/>). 0 = plain straight-through.
    /// </summary>
    public int ContrastPaths
    {
        get;
        set
        {
            if (value < 0 || value >= Space.Candidates.Count)
            {
                throw new Nas.Core.NasException($"contrast paths must be in [0, {Space.Candidates.Count - 1}] (got {value})");
            }

            field = value;
        }
    }

    = 1;

    /// <summary>The architecture logits of every position (optimised by the architecture optimiser).</summary>
    public IReadOnlyList<Parameter> ArchParameters() => _blocks.Select(b => b.ArchLogits).ToArray();

    /// <summary>Every other parameter (optimised by the weight optimiser).</summary>
    public IReadOnlyList<Parameter> WeightParameters() =>
        named_parameters().Where(p => !p.name.EndsWith("arch_logits", StringComparison.Ordinal)).Select(p => p.parameter).ToArray();

    public ArchitectureSample Sample(SamplingMode mode, int batchSize) =>
        new(Space, mode, _blocks.Select(b => b.Sample(mode, Temperature, batchSize, Generator, ContrastPaths)).ToArray());

    /// <summary>Runs the network with a given architecture sample.</summary>
    public Tensor Forward(Tensor input, ArchitectureSample sample)
    {
        _current = sample;
        try
        {
            return Run(input, RunBlock);
        }
        finally
        {
            _current = null;
        }
    }

    public override Tensor forward(Tensor input) => Forward(input, Sample(Mode, (int)input.shape[0]));

    /// <summary>Softmax of the logits, positions × candidates.</summary>
    public double[,] Probabilities()
    {
        using var noGrad = no_grad();
        var result = new double[Space.PositionCount, Space.Candidates.Count];
        for (int p = 0; p < _blocks.Count; p++)
        {
            using Tensor probs = _blocks[p].ArchLogits.softmax(0);
            float[] values = probs.data<float>().ToArray();
            for (int k = 0; k < values.Length; k++)
            {
                result[p, k] = values[k];
            }
        }

        return result;
    }

    /// <summary>The argmax genotype of the logits.</summary>
    public Genotype Derive()
    {
        using var noGrad = no_grad();
        return Genotype.FromIndices(Space, _blocks.Select(b =>
        {
            using Tensor best = b.ArchLogits.argmax();
            return (int)best.item<long>();
        }).ToArray());
    }

    /// <summary>
    /// A standalone network of <paramref name="genotype"/> initialised with the supernet's shared weights for the
    /// chosen candidates (stem, last conv and head included), e.g. to fine-tune after the search.
    /// </summary>
    public SqueezeNasNetwork ExtractNetwork(NamedGenotype genotype)
    {
        if (!genotype.Genotype.Space.Equals(Space) || genotype.Classes != Classes)
        {
            throw new Nas.Core.NasException($"genotype '{genotype.Name}' is not of this supernet's space '{Space.Name}' with {Classes} classes");
        }

        var network = new SqueezeNasNetwork(genotype, initialize: false);
        var source = state_dict();
        var target = network.state_dict();
        using var noGrad = no_grad();
        foreach ((string key, Tensor value) in target)
        {
            string sourceKey = MapToSupernetKey(key, genotype.Genotype);
            value.copy_(source[sourceKey]);
        }

        return network;
    }

    protected override Tensor RunBlock(int position, Tensor input)
    {
        MixedBlock block = _blocks[position];
        return _current is null ? block.call(input) : block.Forward(input, _current.Blocks[position]);
    }

    private string MapToSupernetKey(string networkKey, Genotype genotype)
    {
        const string prefix = "blocks.";
        if (!networkKey.StartsWith(prefix, StringComparison.Ordinal))
        {
            return networkKey;
        }

        // blocks.{i}.op.{rest} -> blocks.{i}.candidates.{k}.{rest}
        string[] parts = networkKey.Split('.', 4);
        int i = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        int k = Space.IndexOf(genotype.Ops[i]);
        return $"blocks.{i}.candidates.{k}.{parts[3]}";
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _blocks.Dispose();
        }

        base.Dispose(disposing);
    }
}
