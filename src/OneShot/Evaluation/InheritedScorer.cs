using System.Diagnostics;
using System.Globalization;
using Nas.Core.Genotypes;
using Nas.OneShot.Data;
using Nas.OneShot.Supernets;
using Nas.Training.Batches;

namespace Nas.OneShot.Evaluation;

/// <summary>
/// Inherited-weight mIoU of genotypes of one trained supernet: <see cref="SubnetEvaluator"/> on fixed calibration and
/// held-out batches, with an <see cref="EvaluationCache"/> in front, so every genotype is evaluated once per
/// supernet and settings — within a search, across a resumed search, and across searches sharing a cache file.
/// </summary>
public sealed class InheritedScorer : IDisposable
{
    private readonly OneShotSupernet _supernet;
    private readonly IReadOnlyList<TensorBatch> _calibration;
    private readonly IReadOnlyList<TensorBatch> _heldOut;
    private readonly SubnetEvaluator _evaluator;
    private readonly bool _reestimate;

    public InheritedScorer(SupernetFile file, OneShotData data, int bnBatches, int evalImages, bool reestimateBn, string? cachePath, CancellationToken cancellationToken = default)
    {
        _reestimate = reestimateBn;
        _calibration = reestimateBn ? data.LoadCalibration(bnBatches, cancellationToken) : [];
        _heldOut = data.LoadHeldOut(evalImages, cancellationToken);
        _supernet = file.CreateSupernet();
        _evaluator = new SubnetEvaluator(_supernet, _calibration, _heldOut);
        HeldOutImages = _heldOut.Sum(b => b.Count);
        string fingerprint = string.Create(CultureInfo.InvariantCulture,
            $"supernet {file.Sha256()}; bn {(reestimateBn ? bnBatches : 0)}; held-out {data.HeldOut.Split} {HeldOutImages} of {data.HeldOut.Count}; eval size {data.Config.Data.EvalSize ?? data.Config.Data.Crop}; data {data.Config.Data.Dataset}");
        Cache = new EvaluationCache(cachePath, fingerprint);
    }

    public EvaluationCache Cache { get; }

    public int HeldOutImages { get; }

    /// <summary>Evaluations computed by this scorer (not taken from the cache).</summary>
    public int Computed { get; private set; }

    /// <summary>Lookups answered by the cache.</summary>
    public int Hits { get; private set; }

    public CachedEvaluation Score(Genotype genotype, CancellationToken cancellationToken = default)
    {
        string key = genotype.CanonicalString;
        if (Cache.TryGet(key, out CachedEvaluation cached))
        {
            Hits++;
            return cached;
        }

        var clock = Stopwatch.StartNew();
        SubnetScore score = _evaluator.Evaluate(genotype.CandidateIndices, _reestimate, cancellationToken);
        var entry = new CachedEvaluation(key, score.Miou, score.PixelAccuracy, clock.Elapsed.TotalSeconds);
        Cache.Add(entry);
        Computed++;
        return entry;
    }

    public void Dispose()
    {
        _supernet.Dispose();
        foreach (TensorBatch b in _calibration.Concat(_heldOut))
        {
            b.Dispose();
        }
    }
}
