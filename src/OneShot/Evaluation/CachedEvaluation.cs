namespace Nas.OneShot.Evaluation;

/// <summary>One entry of an evaluation cache file: a genotype's canonical text and its inherited-weight scores.</summary>
public sealed record CachedEvaluation(string Genotype, double Miou, double PixelAccuracy, double Seconds);
