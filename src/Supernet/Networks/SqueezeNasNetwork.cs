using Nas.Core.Genotypes;
using Nas.Supernet.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nas.Supernet.Networks;

/// <summary>A standalone network built from a genotype: one op per position, no supernet overhead.</summary>
public sealed class SqueezeNasNetwork : SegmentationNetwork
{
    [TorchSharp.Utils.ComponentName(Name = "blocks")]
    private readonly ModuleList<FixedBlock> _blocks;

    public SqueezeNasNetwork(NamedGenotype genotype, bool initialize = true)
        : base(nameof(SqueezeNasNetwork), genotype.Genotype.Space, genotype.Classes)
    {
        Genotype = genotype;
        _blocks = new ModuleList<FixedBlock>(
            genotype.Genotype.Space.Positions.Select(p => new FixedBlock(p, genotype.Genotype.Ops[p.Index])).ToArray());
        RegisterComponents();
        if (initialize)
        {
            WeightInit.Apply(this);
        }
    }

    public NamedGenotype Genotype { get; }

    public IReadOnlyList<FixedBlock> Blocks => [.. _blocks];

    protected override Tensor RunBlock(int position, Tensor input) => _blocks[position].call(input);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _blocks.Dispose();
        }

        base.Dispose(disposing);
    }
}
