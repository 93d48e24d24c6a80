using Nas.Core.Genotypes;

namespace Nas.Cli.Demo;

/// <summary>
/// A network the demo trains, measures and reports: stages that find or pick networks (searches, random baselines,
/// the published network, later e.g. model-zoo baselines) add candidates; the training and measurement stages take
/// them all alike.
/// </summary>
/// <param name="Kind">searched, random, published (…) — the report groups by it.</param>
/// <param name="TargetMs">The latency target the network was found or drawn for, if any.</param>
/// <param name="Init">Initial weights (<c>.pth</c> or <c>.ckpt</c>), or null to train from scratch.</param>
public sealed record DemoCandidate(NamedGenotype Genotype, string Kind, double? TargetMs, string? Init);
