using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Nas.Core;
using Nas.Core.Genotypes;
using Nas.Core.Graphs;
using Nas.Core.IO;
using Nas.Core.Progress;
using Nas.Latency.Costs;
using Nas.Models.SqueezeNas;
using Nas.Search.Costs;
using Nas.Search.Derivation;
using Nas.Search.Runs;
using Nas.Search.Steps;
using Nas.Supernet.Checkpoints;
using Nas.Supernet.Networks;
using Nas.Supernet.Sampling;
using Nas.Training.Batches;
using Nas.Training.Losses;
using Nas.Training.Optimization;
using Nas.Training.Runs;
using Nas.Training.Schedules;
using Nas.Training.State;
using Nas.Weights.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nas.Search;

/// <summary>
/// Differentiable, resource-aware architecture search (DNAS/FBNet style over the SqueezeNAS supernet): per step,
/// a weight update on a batch of the weight split (task loss only), then — after the warm-up epochs — an
/// architecture update on a batch of the arch split (task loss combined with the expected cost
/// Σ_p Σ_k softmax(θ_p)_k·c_{p,k} + fixed). Every epoch writes metrics, per-position probabilities, the argmax
/// genotype and an atomic checkpoint; <see cref="Run"/> continues a resumed run folder exactly.
/// </summary>
public sealed class ArchitectureSearch(SearchOptions options, ArchitectureCostModel costs, ILogger<ArchitectureSearch>? logger = null)
{
    private const string WeightOptimizerEntry = "weight_optimizer.bin";
    private const string ArchOptimizerEntry = "arch_optimizer.bin";
    private const string TrainerEntry = "trainer.json";
    private const string GumbelEntry = "gumbel_rng.bin";

    private readonly ILogger _logger = logger ?? NullLogger<ArchitectureSearch>.Instance;

    public SearchOptions Options { get; } = options;

    public ArchitectureCostModel Costs { get; } = costs;

    /// <summary>Runs (or resumes) the search into <paramref name="run"/>; returns the derived genotype.</summary>
    public SearchResult Run(
        RunFolder run,
        int classes,
        IBatchSource weightSplit,
        IBatchSource archSplit,
        IProgress<ProgressInfo>? progress = null,
        CancellationToken cancellationToken = default)
    {
        Options.Validate();
        (double minCost, _) = Costs.Range();
        Options.ResourceLoss.Validate(minCost, Costs.Unit);
        if (weightSplit.BatchesPerEpoch < 1 || archSplit.BatchesPerEpoch < 1)
        {
            throw new NasException($"the search needs at least one batch in each split (weights: {weightSplit.BatchesPerEpoch}, architecture: {archSplit.BatchesPerEpoch}); use more images or a smaller --batch");
        }

        manual_seed(Options.Seed);
        using var generator = new Generator((ulong)Options.Seed + 1);
        using var supernet = new SqueezeNasSupernet(Costs.Space, classes)
        {
            Generator = generator,
            ContrastPaths = Options.Mode == SearchMode.SinglePath ? Math.Min(Options.ContrastPaths, Costs.Space.Candidates.Count - 1) : 0,
        };
        using var weightOptimizer = new SgdOptimizer(supernet.WeightParameters(), Options.WeightLr, Options.WeightMomentum, Options.WeightDecay);
        using var archOptimizer = new AdamOptimizer(supernet.ArchParameters(), Options.ArchLr, weightDecay: Options.ArchWeightDecay);
        using Tensor costTensor = Costs.ToTensor();
        using var loss = new SegmentationLoss();

        var metrics = new MetricsCsv<SearchEpochRow>(run.MetricsPath, r => r.Epoch);
        var probabilities = new MetricsCsv<PositionProbabilityRow>(run.Combine("probabilities.csv"), r => r.Epoch);
        int startEpoch = 0;
        long globalStep = 0;
        if (run.Resumed)
        {
            if (File.Exists(run.LastCheckpointPath))
            {
                (startEpoch, globalStep) = Restore(run.LastCheckpointPath, supernet, weightOptimizer, archOptimizer, generator);
                _logger.LogInformation("resumed {Run} after epoch {Epoch}", run.Path, startEpoch);
            }
            else
            {
                _logger.LogWarning("{Run} holds no checkpoint yet (the search stopped before its first one was complete): starting over from epoch 1", run.Path);
            }

            RunResume.Prepare(run, startEpoch, _logger, metrics.TruncateAfter, probabilities.TruncateAfter);
        }

        LrSchedule schedule = LrSchedule.Create(Options.WeightSchedule, Options.WeightLr, Options.Epochs, weightSplit.BatchesPerEpoch);
        SamplingMode mode = Options.Mode == SearchMode.Soft ? SamplingMode.Soft : SamplingMode.SinglePath;
        long totalSteps = (long)Options.Epochs * weightSplit.BatchesPerEpoch;
        for (int epoch = startEpoch; epoch < Options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            supernet.Temperature = Options.Temperature.At(epoch, Options.Epochs);
            bool trainArch = epoch >= Options.WarmupEpochs;
            var stats = new EpochStats();
            using IEnumerator<TensorBatch> archBatches = CyclingEpoch(archSplit, epoch, cancellationToken).GetEnumerator();
            foreach (TensorBatch batch in weightSplit.Epoch(epoch, cancellationToken))
            {
                using (batch)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    double lr = schedule.At(globalStep);
                    weightOptimizer.LearningRate = lr;
                    stats.WeightLr = lr;
                    stats.WeightLoss += SupernetStep.Weights(supernet, weightOptimizer, loss, batch.Images, batch.Labels, mode);
                    stats.WeightSteps++;
                    if (trainArch)
                    {
                        archBatches.MoveNext();
                        using TensorBatch archBatch = archBatches.Current;
                        ArchStep(supernet, archOptimizer, loss, costTensor, archBatch, mode, stats);
                    }

                    globalStep++;
                    progress?.Report(new ProgressInfo("search", globalStep, totalSteps,
                        $"epoch {epoch + 1}/{Options.Epochs} τ {supernet.Temperature:F2} loss {stats.WeightLoss / Math.Max(1, stats.WeightSteps):F3} cost {stats.LastExpectedCost:G4} {Costs.Unit}"));
                }
            }

            Genotype argmax = supernet.Derive();
            double[,] probs = supernet.Probabilities();
            double[] entropies = Entropies(probs);
            double expectedCost = ExpectedCost(probs);
            metrics.Append(new SearchEpochRow(
                epoch + 1,
                supernet.Temperature,
                stats.WeightLr,
                stats.WeightLoss / Math.Max(1, stats.WeightSteps),
                stats.ArchSteps > 0 ? stats.ArchLoss / stats.ArchSteps : double.NaN,
                stats.ArchSteps > 0 ? stats.ArchCe / stats.ArchSteps : double.NaN,
                stats.ArchPixels > 0 ? (double)stats.ArchCorrect / stats.ArchPixels : double.NaN,
                expectedCost,
                Costs.Cost(argmax),
                Costs.Unit,
                entropies.Average(),
                argmax.CanonicalString,
                clock.Elapsed.TotalSeconds));
            AppendProbabilities(probabilities, epoch + 1, probs, entropies);
            Checkpoint(run, supernet, weightOptimizer, archOptimizer, generator, epoch + 1, globalStep);
            _logger.LogInformation(
                "epoch {Epoch}/{Epochs}: weight loss {Loss:F4}, expected cost {Expected:G4} {Unit}, argmax cost {Argmax:G4} {Unit}, mean entropy {Entropy:F3}, τ {Tau:F3}, genotype {Genotype}",
                epoch + 1, Options.Epochs, stats.WeightLoss / Math.Max(1, stats.WeightSteps), expectedCost, Costs.Unit, Costs.Cost(argmax), Costs.Unit, entropies.Average(), supernet.Temperature, argmax.CanonicalString);
        }

        Genotype derived = GenotypeDerivation.Derive(supernet, Options.DeriveSamples, generator);
        Dictionary<string, double> predicted = PredictedCosts.For(derived, classes, Costs);
        var named = new NamedGenotype(System.IO.Path.GetFileName(run.Path.TrimEnd('/')), derived, classes)
        {
            Predicted = predicted,
            Source = $"nas search ({Options.Mode}, {Options.Loss}, cost {Costs.Source})",
        };
        GenotypeFile.Save(run.Combine("genotype.json"), named);
        return new SearchResult(named, Costs.Cost(derived), Costs.Unit, supernet.Probabilities());
    }

    private void ArchStep(SqueezeNasSupernet supernet, ParameterOptimizer arch, SegmentationLoss loss, Tensor costTensor, TensorBatch batch, SamplingMode mode, EpochStats stats)
    {
        using var scope = NewDisposeScope();
        (Tensor logits, Tensor ce) = SupernetStep.SampledLoss(supernet, loss, batch.Images, batch.Labels, mode);
        Tensor probs = stack(supernet.ArchParameters().Select(p => p.softmax(0)).ToArray());
        using Scalar fixedCost = Costs.FixedCost.ToScalar();
        Tensor expected = (probs * costTensor).sum().add(fixedCost);
        Tensor total = Options.ResourceLoss.Combine(ce, expected);
        double value = total.item<float>();
        if (!double.IsFinite(value))
        {
            throw new NasException($"the architecture loss became {value}; lower --arch-lr or --lambda (the last checkpoint is kept)");
        }

        total.backward();
        arch.Step();
        stats.ArchLoss += value;
        stats.ArchCe += ce.item<float>();
        stats.ArchSteps++;
        stats.LastExpectedCost = expected.item<float>();
        using (no_grad())
        {
            Tensor valid = batch.Labels.ne(SegmentationLoss.IgnoreIndex);
            Tensor correct = logits.argmax(1).eq(batch.Labels).logical_and(valid);
            stats.ArchCorrect += correct.sum().item<long>();
            stats.ArchPixels += valid.sum().item<long>();
        }
    }

    /// <summary>Arch-split batches for one weight epoch, re-enumerated (with a distinct sub-epoch) when exhausted.</summary>
    private static IEnumerable<TensorBatch> CyclingEpoch(IBatchSource source, int epoch, CancellationToken cancellationToken)
    {
        for (int cycle = 0; ; cycle++)
        {
            foreach (TensorBatch b in source.Epoch((epoch * 1000) + cycle, cancellationToken))
            {
                yield return b;
            }
        }
    }

    private double ExpectedCost(double[,] probs)
    {
        double total = Costs.FixedCost;
        for (int p = 0; p < probs.GetLength(0); p++)
        {
            for (int k = 0; k < probs.GetLength(1); k++)
            {
                total += probs[p, k] * Costs.BlockCosts[p, k];
            }
        }

        return total;
    }

    private static double[] Entropies(double[,] probs)
    {
        var result = new double[probs.GetLength(0)];
        for (int p = 0; p < result.Length; p++)
        {
            double h = 0;
            for (int k = 0; k < probs.GetLength(1); k++)
            {
                double q = probs[p, k];
                h -= q > 0 ? q * Math.Log(q) : 0;
            }

            result[p] = h;
        }

        return result;
    }

    private void AppendProbabilities(MetricsCsv<PositionProbabilityRow> csv, int epoch, double[,] probs, double[] entropies)
    {
        var rows = csv.ReadAll().ToList();
        for (int p = 0; p < probs.GetLength(0); p++)
        {
            for (int k = 0; k < probs.GetLength(1); k++)
            {
                rows.Add(new PositionProbabilityRow(epoch, p, Costs.Space.Candidates[k].Name, probs[p, k], entropies[p]));
            }
        }

        csv.Replace(rows);
    }

    private static void Checkpoint(RunFolder run, SqueezeNasSupernet supernet, ParameterOptimizer weights, ParameterOptimizer arch, Generator generator, int epochsCompleted, long globalStep)
    {
        var state = new SearchTrainerState(epochsCompleted, globalStep, supernet.Temperature, supernet.Derive().CanonicalString);
        var extras = new Dictionary<string, byte[]>
        {
            [WeightOptimizerEntry] = weights.SaveState(),
            [ArchOptimizerEntry] = arch.SaveState(),
            [GumbelEntry] = RandomState.Save(generator),
            [TrainerEntry] = Encoding.UTF8.GetBytes(NasJson.Serialize(state)),
        };
        NasCheckpoint.Save(run.LastCheckpointPath, supernet, NasCheckpoint.MetadataFor(supernet, "nas search", epochsCompleted), extras);
    }

    private static (int Epoch, long Step) Restore(string path, SqueezeNasSupernet supernet, ParameterOptimizer weights, ParameterOptimizer arch, Generator generator)
    {
        CheckpointFile ckpt = CheckpointFile.Load(path);
        if (!ckpt.IsSupernet)
        {
            throw new NasException($"{path}: is not a search checkpoint");
        }

        StateDictLoader.Load(supernet, ckpt.ByName, path);
        foreach (string entry in new[] { WeightOptimizerEntry, ArchOptimizerEntry, GumbelEntry, TrainerEntry })
        {
            if (!ckpt.Extras.ContainsKey(entry))
            {
                throw new NasException($"{path}: search checkpoint lacks '{entry}'");
            }
        }

        weights.LoadState(ckpt.Extras[WeightOptimizerEntry], $"{path}:{WeightOptimizerEntry}");
        arch.LoadState(ckpt.Extras[ArchOptimizerEntry], $"{path}:{ArchOptimizerEntry}");
        RandomState.Restore(generator, ckpt.Extras[GumbelEntry]);
        SearchTrainerState state = NasJson.Deserialize<SearchTrainerState>(Encoding.UTF8.GetString(ckpt.Extras[TrainerEntry]), $"{path}:{TrainerEntry}");
        return (state.EpochsCompleted, state.GlobalStep);
    }

    private sealed class EpochStats
    {
        public double WeightLoss { get; set; }

        public int WeightSteps { get; set; }

        public double WeightLr { get; set; }

        public double ArchLoss { get; set; }

        public double ArchCe { get; set; }

        public int ArchSteps { get; set; }

        public long ArchCorrect { get; set; }

        public long ArchPixels { get; set; }

        public double LastExpectedCost { get; set; }
    }
}
