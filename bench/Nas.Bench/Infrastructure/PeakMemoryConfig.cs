using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Nas.Bench.Infrastructure;

/// <summary>Few iterations (a TorchSharp step takes seconds) plus the peak native memory column.</summary>
public sealed class PeakMemoryConfig : ManualConfig
{
    public PeakMemoryConfig()
    {
        AddJob(Job.Default.WithWarmupCount(2).WithIterationCount(20).WithInvocationCount(1).WithUnrollFactor(1));
        AddColumn(new PeakMemoryColumn());
    }
}
