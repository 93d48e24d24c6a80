using BenchmarkDotNet.Attributes;
using Nas.Bench.Infrastructure;
using Nas.Core.SearchSpaces;
using Nas.Supernet;
using Nas.Supernet.Networks;
using Nas.Supernet.Sampling;
using Nas.Training.Diagnostics;
using Nas.Training.Optimization;
using static TorchSharp.torch;

namespace Nas.Bench.Supernet;

/// <summary>
/// One supernet training step (Small space, 128×256, batch 2, CPU, 2 threads): Gumbel sample, forward, cross-entropy,
/// backward, SGD step — soft mode (all 13 candidates) against single-path (one sampled candidate + one contrast path).
/// The peak-memory column is the rise of the process's peak RSS over the state just before the first step.
/// </summary>
[Config(typeof(PeakMemoryConfig))]
public class SupernetStepBenchmark
{
    private SqueezeNasSupernet _supernet = null!;
    private SgdOptimizer _optimizer = null!;
    private Tensor _images = null!;
    private Tensor _labels = null!;
    private Generator _generator = null!;
    private long _baseline;

    /// <summary><c>soft</c>, <c>single-path</c> (plain straight-through) or <c>single-path+1</c> (one contrast path, the default).</summary>
    [Params("soft", "single-path", "single-path+1")]
    public string Variant { get; set; } = "soft";

    private SamplingMode Mode => Variant == "soft" ? SamplingMode.Soft : SamplingMode.SinglePath;

    private int ContrastPaths => Variant.EndsWith("+1", StringComparison.Ordinal) ? 1 : 0;

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.SetThreads(2);
        manual_seed(0);
        _generator = new Generator(1);
        _supernet = new SqueezeNasSupernet(SearchSpaceCatalog.Small, 19) { Generator = _generator, Temperature = 5.0, ContrastPaths = ContrastPaths };
        _supernet.train();
        _optimizer = new SgdOptimizer(_supernet.parameters(), 0.01, 0.9);
        _images = randn(2, 3, 128, 256);
        _labels = randint(0, 19, [2, 128, 256]);

        // Two untimed steps initialise libtorch's kernels, the autograd engine and the optimiser state; returning
        // the freed heap to the OS then makes the baseline the steady state between steps.
        TrainingStep();
        TrainingStep();
        _baseline = NativeMemory.TrimAndResetPeak();
    }

    [Benchmark]
    public float TrainingStep()
    {
        using var scope = NewDisposeScope();
        Gradients.Clear(_supernet.parameters());
        ArchitectureSample sample = _supernet.Sample(Mode, (int)_images.shape[0]);
        Tensor logits = _supernet.Forward(_images, sample);
        Tensor loss = nn.functional.cross_entropy(logits, _labels);
        loss.backward();
        _optimizer.Step();
        return loss.item<float>();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        PeakMemoryColumn.Record(typeof(SupernetStepBenchmark), Variant, NativeMemory.PeakBytes() - _baseline);
        _supernet.Dispose();
        _optimizer.Dispose();
        _generator.Dispose();
    }
}
