using Nas.Core.Genotypes;
using Nas.Core.Graphs.Nodes;
using Nas.Core.SearchSpaces;
using Nas.Models.SqueezeNas;
using Nas.Supernet.Blocks;
using Nas.Supernet.Graphs;
using Nas.Supernet.Sampling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nas.Supernet.Networks;

/// <summary>
/// The supernet of a space: its layer graph (<see cref="SqueezeNasGraphs.Supernet"/>) with a <see cref="MixedBlock"/>
/// (every candidate + architecture logits) at each choice. A forward pass runs one <see cref="ArchitectureSample"/>.
/// </summary>
public sealed class SqueezeNasSupernet : GraphModule
{
    private readonly MixedBlock[] _blocks;
    private ArchitectureSample? _current;

    public SqueezeNasSupernet(SearchSpace space, int classes, bool initialize = true)
        : base(SqueezeNasGraphs.Supernet(space, classes), choice => new MixedBlock(choice))
    {
        if (classes < 1)
        {
            throw new Core.NasException($"class count must be >= 1 (got {classes})");
        }

        Space = space;
        Classes = classes;
        _blocks = Graph.Choices.OrderBy(c => c.Position).Select(c => (MixedBlock)Layer(c.Name)!).ToArray();
        ChoiceRunner = RunChoice;
        if (initialize)
        {
            WeightInit.Apply(this);
        }
    }

    public SearchSpace Space { get; }

    public int Classes { get; }

    public IReadOnlyList<MixedBlock> Blocks => _blocks;

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
                throw new Core.NasException($"contrast paths must be in [0, {Space.Candidates.Count - 1}] (got {value})");
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

    /// <summary>The sample that runs exactly <paramref name="genotype"/> (argmax mode: one path, no weights).</summary>
    public ArchitectureSample PathOf(Genotype genotype) =>
        new(Space, SamplingMode.Argmax, genotype.CandidateIndices.Select(i => new BlockSample(SamplingMode.Argmax, null, i)).ToArray());

    /// <summary>Runs the network with a given architecture sample.</summary>
    public Tensor Forward(Tensor input, ArchitectureSample sample)
    {
        _current = sample;
        try
        {
            return base.forward(input);
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
        for (int p = 0; p < _blocks.Length; p++)
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
    public NetworkModule ExtractNetwork(NamedGenotype genotype)
    {
        if (!genotype.Genotype.Space.Equals(Space) || genotype.Classes != Classes)
        {
            throw new Core.NasException($"genotype '{genotype.Name}' is not of this supernet's space '{Space.Name}' with {Classes} classes");
        }

        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        var spec = SqueezeNasGraphs.Spec(genotype) with { Graph = Graph.Derive(c => Space.IndexOf(genotype.Genotype.Ops[c.Position!.Value]), sources, genotype.Name) };
        var network = new NetworkModule(spec, initialize: false);
        var source = state_dict();
        using var noGrad = no_grad();
        foreach ((string key, Tensor value) in network.state_dict())
        {
            value.copy_(source[sources[key]]);
        }

        return network;
    }

    private Tensor RunChoice(ChoiceNode choice, nn.Module<Tensor, Tensor> module, Tensor input)
    {
        var block = (MixedBlock)module;
        return _current is null ? block.call(input) : block.Forward(input, _current.Blocks[block.Position]);
    }
}
