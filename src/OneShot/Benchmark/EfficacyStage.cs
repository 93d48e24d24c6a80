namespace Nas.OneShot.Benchmark;

/// <summary>A finished stage of the benchmark with the CPU time (all threads of the process) and wall time it took.</summary>
public sealed record EfficacyStage(string Key, string Kind, int Seed, int? Target, double CpuSeconds, double WallSeconds);
