using Nas.Core.Genotypes;

namespace Nas.Cli.Demo;

/// <summary>
/// A network the demo trains, measures and reports: stages that find or pick networks (searches, random baselines,
/// the published network, the model-zoo baselines) add candidates; the training and measurement stages take them all
/// alike.
/// </summary>
/// <param name="Name">Its name in the report (and its run folder).</param>
/// <param name="Arch">What <c>nas train --arch</c> takes for it: a registered name for zoo baselines; null for a genotype (written to a file).</param>
/// <param name="Genotype">The SqueezeNAS genotype (searched, random, published), or null for a zoo network, which the latency table cannot predict.</param>
/// <param name="Kind">searched, random, published (…), baseline — the report groups by it.</param>
/// <param name="TargetMs">The latency target the network was found or drawn for, if any.</param>
/// <param name="Init">Initial weights (<c>.pth</c> or <c>.ckpt</c>), or null to train from scratch.</param>
public sealed record DemoCandidate(string Name, string? Arch, NamedGenotype? Genotype, string Kind, double? TargetMs, string? Init)
{
    public static DemoCandidate ForGenotype(NamedGenotype genotype, string kind, double? targetMs, string? init) => new(genotype.Name, null, genotype, kind, targetMs, init);
}
