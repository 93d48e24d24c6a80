using System.Diagnostics;
using Google.Protobuf;
using Nas.Core.Genotypes;
using Nas.Core.Graphs;
using Nas.Core.Graphs.Passes;
using Nas.Core.Progress;
using Nas.Core.SearchSpaces;
using Nas.Data.Datasets;
using Nas.Data.Loading;
using Nas.Data.Synthetic;
using Nas.Data.Transforms;
using Nas.Deploy;
using Nas.Deploy.Calibration;
using Nas.Deploy.Fp16;
using Nas.Deploy.Quantization;
using Nas.Deploy.Verification;
using Nas.Latency.Profiling;
using Nas.Models;
using Nas.Models.Registry;
using Nas.Onnx.Export;
using Nas.Onnx.Protos;
using Nas.Onnx.Runtime;
using Nas.Search.Steps;
using Nas.Supernet;
using Nas.Supernet.Networks;
using Nas.Supernet.Sampling;
using Nas.Training.Batches;
using Nas.Training.Data;
using Nas.Training.Diagnostics;
using Nas.Training.Losses;
using Nas.Training.Optimization;
using static TorchSharp.torch;

namespace Nas.Cli.Benchmarks;

/// <summary>
/// Whole-workload measurements behind <c>nas bench</c>. Each compares alternatives in the same run so the ratios are
/// meaningful on a noisy machine; timings are medians of repeated runs after warm-up.
/// </summary>
internal static class BenchmarkRunner
{
    public sealed record InferenceRow(string Network, long Macs, long Flops, long Params, double OrtMs, double TorchMs, double Ratio);

    public sealed record SearchStepRow(string Mode, double SecondsPerStep, double ImagesPerSecond, double PeakMiB);

    public sealed record DataRow(string What, double ImagesPerSecond, string Notes);

    /// <summary>One network at several precisions, timed in the same run: median ms per precision and argmax agreement with FP32.</summary>
    public sealed record PrecisionRow(string Network, IReadOnlyDictionary<Precision, double> Ms, IReadOnlyDictionary<Precision, double> Agreement);

    public static IReadOnlyList<PrecisionRow> Precisions(IReadOnlyList<NetworkSpec> networks, InputSize input, IReadOnlyList<Precision> precisions, OrtOptions ort, int runs, int calibrationImages, IProgress<ProgressInfo> progress)
    {
        var rows = new List<PrecisionRow>();
        var settings = new ProfileSettings(ort.IntraOpThreads, Warmup: 3, Runs: runs, Repeats: 2);
        int i = 0;
        foreach (NetworkSpec g in networks)
        {
            ModelProto fp32 = LayerGraphExporter.Export(g.Graph, RandomWeights.For(g.Graph), input.Height, input.Width);

            var models = new Dictionary<Precision, ModelProto>();
            foreach (Precision p in precisions)
            {
                models[p] = p switch
                {
                    Precision.Int8 => Int8Quantizer.Quantize(fp32, CalibrationData.SyntheticScenes(fp32, calibrationImages, seed: 0), new QuantizationOptions(), ort with { Provider = ExecutionProvider.Cpu }, g.Name).Model,
                    Precision.Fp16 => Fp16Converter.Convert(fp32, g.Name),
                    _ => fp32,
                };
            }

            var ms = new Dictionary<Precision, double>();
            var agreement = new Dictionary<Precision, double>();
            foreach (Precision p in precisions)
            {
                ms[p] = OrtProfiler.Profile(models[p].ToByteArray(), EntryPrecision.For(ort, p), settings, $"{g.Name} {p}").Median;
                agreement[p] = p == Precision.Fp32 ? 1 : PrecisionComparison.Compare(fp32, models[p], CalibrationData.SyntheticScenes(fp32, 2, seed: 100), ort with { Provider = ExecutionProvider.Cpu }).ArgmaxAgreement;
            }

            rows.Add(new PrecisionRow(g.Name, ms, agreement));
            progress.Report(new ProgressInfo("precision", ++i, networks.Count, g.Name));
        }

        return rows;
    }

    /// <summary>Whole-network latency of <paramref name="networks"/> (any architecture argument) in ONNX Runtime and TorchSharp, random weights.</summary>
    public static IReadOnlyList<InferenceRow> Inference(IReadOnlyList<string> networks, InputSize input, int threads, int runs, IProgress<ProgressInfo> progress, OrtOptions? ort = null)
    {
        // Every network is built and checked against the input size before anything is timed: a bad name or a size a
        // network cannot take fails at once, not after minutes of measuring the others.
        var specs = networks.Select(n => ModelRegistry.Resolve(n)).ToArray();
        foreach (NetworkSpec spec in specs)
        {
            spec.CheckInputSize(input.Height, input.Width);
        }

        TorchRuntime.SetThreads(threads);
        var rows = new List<InferenceRow>();
        var settings = new ProfileSettings(threads, Warmup: 3, Runs: runs, Repeats: 2);
        int i = 0;
        foreach (NetworkSpec spec in specs)
        {
            LayerGraph graph = spec.Graph.ForInference();
            GraphCost cost = GraphCost.Compute(graph, input.Height, input.Width);
            byte[] model = LayerGraphExporter.Export(spec.Graph, RandomWeights.For(spec.Graph), input.Height, input.Width).ToByteArray();
            LatencyStats onnx = OrtProfiler.Profile(model, ort ?? new OrtOptions { IntraOpThreads = threads }, settings, spec.Name);
            LatencyStats torch = TorchProfiler.Profile(graph, [new ValueShape(3, input.Height, input.Width)], settings);
            rows.Add(new InferenceRow(spec.Name, cost.Macs, cost.Flops, cost.Params, onnx.Median, torch.Median, torch.Median / onnx.Median));
            progress.Report(new ProgressInfo("inference", ++i, specs.Length, spec.Name));
        }

        return rows;
    }

    public static IReadOnlyList<SearchStepRow> SearchSteps(InputSize input, int batch, int steps, int threads, IProgress<ProgressInfo> progress)
    {
        TorchRuntime.SetThreads(threads);
        var rows = new List<SearchStepRow>();
        (string Name, SamplingMode Mode, int Contrast)[] variants = [("single-path", SamplingMode.SinglePath, 0), ("single-path + 1 contrast path", SamplingMode.SinglePath, 1), ("soft (all 13 candidates)", SamplingMode.Soft, 0)];
        int done = 0;
        foreach ((string name, SamplingMode mode, int contrast) in variants)
        {
            manual_seed(0);
            using var generator = new Generator(1);
            using var supernet = new SqueezeNasSupernet(SearchSpaceCatalog.Small, 19) { Generator = generator, Temperature = 5, ContrastPaths = contrast };
            using var optimizer = new SgdOptimizer(supernet.parameters(), 0.01, 0.9);
            using var loss = new SegmentationLoss();
            using Tensor images = randn(batch, 3, input.Height, input.Width);
            using Tensor labels = randint(0, 19, [batch, input.Height, input.Width]);
            void Step() => SupernetStep.Weights(supernet, optimizer, loss, images, labels, mode);

            Step();
            Step();
            long baseline = NativeMemory.TrimAndResetPeak();
            var times = new List<double>();
            for (int s = 0; s < steps; s++)
            {
                long start = Stopwatch.GetTimestamp();
                Step();
                times.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
                progress.Report(new ProgressInfo("search steps", ++done, steps * variants.Length, name));
            }

            double median = times.Order().ElementAt(times.Count / 2);
            rows.Add(new SearchStepRow(name, median, batch / median, (NativeMemory.PeakBytes() - baseline) / (1024.0 * 1024.0)));
        }

        return rows;
    }

    public static IReadOnlyList<DataRow> Data(InputSize input, int workers, int batches, int batch, int threads, IProgress<ProgressInfo> progress)
    {
        TorchRuntime.SetThreads(threads);
        string dir = Path.Combine(Path.GetTempPath(), $"nas-bench-data-{input}");
        int images = Math.Max(batches * batch, 32);
        if (!File.Exists(Path.Combine(dir, "uint8", "rs19_val", $"rs{images - 1:D5}.png")))
        {
            SyntheticRailGenerator.WriteDataset(dir, images, input.Height, input.Width, seed: 0, progress);
        }

        SegmentationDataset dataset = DatasetCatalog.Open("synthetic", dir, "all");
        var loader = new SegmentationLoader(dataset, new LoaderOptions
        {
            BatchSize = batch,
            Workers = workers,
            Transform = new TransformOptions { Height = input.Height, Width = input.Width },
        });
        var clock = Stopwatch.StartNew();
        int loaded = 0;
        foreach (DataBatch b in loader.Epoch(0).Take(batches))
        {
            loaded += b.Count;
            progress.Report(new ProgressInfo("data", loaded, batches * batch));
        }

        double loadRate = loaded / clock.Elapsed.TotalSeconds;

        using var network = new NetworkModule(ModelRegistry.Resolve("squeezenas-mac-small"));
        using var optimizer = new SgdOptimizer(network.parameters(), 0.01, 0.9);
        using var loss = new SegmentationLoss();
        DataBatch sample = loader.Epoch(1).First();
        using TensorBatch tensors = DatasetBatchSource.ToTensors(sample);
        network.train();
        double trainSeconds = Median(5, () =>
        {
            using var scope = NewDisposeScope();
            Gradients.Clear(network.parameters());
            loss.Compute(network.call(tensors.Images), tensors.Labels).backward();
            optimizer.Step();
        });
        network.eval();
        using Tensor single = tensors.Images[..1];
        double evalSeconds = Median(5, () =>
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            network.call(single).argmax(1);
        });
        return
        [
            new DataRow($"data loading ({workers} workers, random scale/crop/flip/jitter)", loadRate, $"{batches} batches of {batch}"),
            new DataRow("training step, squeezenas-mac-small (TorchSharp CPU)", batch / trainSeconds, $"batch {batch}, {threads} threads"),
            new DataRow("evaluation, squeezenas-mac-small (TorchSharp CPU)", 1 / evalSeconds, $"batch 1, {threads} threads"),
        ];
    }

    private static double Median(int runs, Action action)
    {
        action();
        var times = new List<double>();
        for (int i = 0; i < runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            times.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        return times.Order().ElementAt(times.Count / 2);
    }
}
