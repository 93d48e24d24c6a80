using Nas.Core.Graphs.Nodes;
using Nas.Supernet.Graphs;
using Nas.Supernet.Sampling;
using Nas.Training.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nas.Supernet.Blocks;

/// <summary>
/// A searchable position of the supernet (a <see cref="ChoiceNode"/> of the supernet graph): every candidate sub-graph
/// as a <see cref="GraphModule"/> (its residual included) and the position's architecture logits (<c>arch_logits</c>,
/// one per candidate, initialised equal so the first distribution is uniform).
/// The weight of a candidate multiplies the whole block output, residual included
/// (<c>Σ_k w_k (x + op_k(x))</c>); with weights summing to one this equals the official
/// <c>x + Σ_k w_k op_k(x)</c> in soft mode, and in single-path mode it gives the identity "skip" candidate a
/// gradient (its op output alone is zero, so a weight on it alone would never learn).
/// <para>
/// Single-path mode runs the sampled candidate with gradients and, optionally, <c>contrastPaths</c> further
/// candidates without gradients. Why: every candidate starts with conv → BatchNormalization, which is invariant to the
/// scale of its input, so when the next block is not residual the output <c>w_k · y_k</c> of a lone sampled path
/// has ∂L/∂w_k = 0 exactly — those positions would never learn from the task loss. Adding <c>w_j · y_j</c> for
/// contrast candidates j (w_j = 0 in value, so the forward pass is unchanged) gives ∂L/∂w_j = ⟨∂L/∂out, y_j⟩,
/// the straight-through gradient of ProxylessNAS's binary gates, at the cost of one extra forward per contrast
/// path and one stored activation map, instead of all candidates' activations as in soft mode.
/// </para>
/// </summary>
public sealed class MixedBlock : nn.Module<Tensor, Tensor>
{
    [TorchSharp.Utils.ComponentName(Name = "candidates")]
    private readonly ModuleList<GraphModule> _candidates;

    [TorchSharp.Utils.ComponentName(Name = "arch_logits")]
    private readonly Parameter _archLogits;

    public MixedBlock(ChoiceNode choice)
        : base(nameof(MixedBlock))
    {
        Choice = choice;
        _candidates = new ModuleList<GraphModule>(choice.Candidates.Select(c => new GraphModule(c)).ToArray());
        _archLogits = new Parameter(zeros(choice.Candidates.Count), requires_grad: true);
        RegisterComponents();
    }

    public ChoiceNode Choice { get; }

    /// <summary>The searchable position (genotype index).</summary>
    public int Position => Choice.Position ?? 0;

    public int CandidateCount => _candidates.Count;

    public Parameter ArchLogits => _archLogits;

    public GraphModule Candidate(int index) => _candidates[index];

    /// <summary>Draws this position's choice for a batch of <paramref name="batchSize"/> images.</summary>
    public BlockSample Sample(SamplingMode mode, double temperature, int batchSize, Generator? generator, int contrastPaths = 0)
    {
        switch (mode)
        {
            case SamplingMode.Soft:
                using (Tensor expanded = _archLogits.unsqueeze(0).expand(batchSize, -1))
                {
                    return new BlockSample(mode, GumbelSoftmax.Soft(expanded, temperature, generator), -1);
                }

            case SamplingMode.SinglePath:
                (Tensor weights, int[] ranking) = GumbelSoftmax.HardTopK(_archLogits, temperature, generator, 1 + contrastPaths);
                return new BlockSample(mode, weights, ranking[0]) { ContrastIndices = ranking[1..] };

            default:
                using (Tensor best = _archLogits.argmax())
                {
                    return new BlockSample(mode, null, (int)best.item<long>());
                }
        }
    }

    /// <summary>Runs the block for a drawn sample (see the class remarks for how weights apply).</summary>
    public Tensor Forward(Tensor input, BlockSample sample)
    {
        if (sample.Mode == SamplingMode.Soft)
        {
            Tensor weights = sample.Weights ?? throw new InvalidOperationException("soft sample without weights");
            Tensor? sum = null;
            for (int k = 0; k < _candidates.Count; k++)
            {
                using Tensor y = RunCandidate(k, input);
                using Tensor w = weights[.., k].view(-1, 1, 1, 1);
                Tensor term = y * w;
                if (sum is null)
                {
                    sum = term;
                }
                else
                {
                    sum.AddInPlace(term);
                    term.Dispose();
                }
            }

            return sum!;
        }

        Tensor chosen = RunCandidate(sample.Index, input);
        if (sample.Weights is null)
        {
            return chosen;
        }

        Tensor output;
        using (chosen)
        {
            using Tensor w = sample.Weights[sample.Index];
            output = chosen * w;
        }

        foreach (int j in sample.ContrastIndices)
        {
            Tensor contrast;
            using (no_grad())
            {
                contrast = RunCandidate(j, input);
            }

            using (contrast)
            {
                using Tensor wj = sample.Weights[j];
                using Tensor term = contrast * wj;
                output.AddInPlace(term);
            }
        }

        return output;
    }

    /// <summary>Argmax forward (evaluation).</summary>
    public override Tensor forward(Tensor input) => Forward(input, Sample(SamplingMode.Argmax, 1.0, 1, null));

    /// <summary>Output of candidate <paramref name="k"/> including the residual: x + op(x), or op(x).</summary>
    private Tensor RunCandidate(int k, Tensor input) => _candidates[k].call(input);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _candidates.Dispose();
            _archLogits.Dispose();
        }

        base.Dispose(disposing);
    }
}
