namespace Nas.Core.Genotypes;

/// <summary>A network published by SqueezeNAS (§2.1 of the reference).</summary>
/// <param name="Name">Registry name, e.g. <c>squeezenas-mac-small</c>.</param>
/// <param name="Genotype">The genotype with 19 Cityscapes classes.</param>
/// <param name="OfficialWeightsFile">File name of the official Cityscapes weights (<c>mac_small.pth</c>).</param>
/// <param name="OfficialClassMiou">Class mIoU on Cityscapes val reported by the official repository.</param>
public sealed record PublishedNetwork(string Name, NamedGenotype Genotype, string OfficialWeightsFile, double OfficialClassMiou);
