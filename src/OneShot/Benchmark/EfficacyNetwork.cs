namespace Nas.OneShot.Benchmark;

/// <summary>One retrained network of the efficacy benchmark: how it was found, its cost and its validation mIoU after the common budget.</summary>
public sealed record EfficacyNetwork(
    int Seed,
    int Target,
    double TargetCost,
    string Method,
    string Name,
    string Genotype,
    double Cost,
    string Unit,
    double ValMiou,
    double ValPixelAccuracy,
    double? MeasuredMs);
