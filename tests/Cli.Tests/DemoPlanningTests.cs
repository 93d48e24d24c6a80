using Nas.Cli.Demo;
using Nas.Core.Genotypes;
using Nas.Core.SearchSpaces;
using Nas.Latency.Costs;

namespace Nas.Cli.Tests;

public class DemoPlanningTests
{
    private static readonly DemoPlan s_plan = DemoPlan.For(10);

    [Fact]
    public void TheDefaultPlanUsesEveryImageInWholeBatches()
    {
        Assert.Equal(s_plan.Images, s_plan.TrainImages + s_plan.ValImages);
        Assert.Equal(0, s_plan.TrainImages % s_plan.Batch);
        Assert.Equal(3, s_plan.Targets);
    }

    [Fact]
    public void EpochsAreSizedToTheTimeLeft()
    {
        // 45 search steps and 60 training steps per epoch, 3 searches, 10 networks, 40 validation images.
        var steps = new DemoStepTimes(SearchStep: 0.3, TrainStep: 0.1, EvalImage: 0.02);
        DemoSizing sizing = DemoSizing.Size(s_plan, steps, searches: 3, searchStepsPerEpoch: 45, networks: 10, trainStepsPerEpoch: 60, valImages: 40, availableSeconds: 480);
        Assert.True(sizing.FitsBudget);
        Assert.True(sizing.PlannedSearchSeconds <= 480 * s_plan.SearchShare, $"{sizing.PlannedSearchSeconds}");
        Assert.True(sizing.PlannedSearchSeconds + sizing.PlannedTrainSeconds <= 480);

        // Known answer: a search epoch costs 3 x 45 x 0.3 = 40.5 s (warm-up epochs half); 5 epochs with 1 warm-up
        // take 4.5 x 40.5 = 182 s of the 192 s share, 6 would take 202 s. A training epoch of all 10 networks costs
        // 10 x (60 x 0.1 + 40 x 0.02) = 68 s: 4 of them fit in the 298 s left, 5 would not.
        Assert.Equal(5, sizing.SearchEpochs);
        Assert.Equal(1, sizing.SearchWarmup);
        Assert.Equal(182.25, sizing.PlannedSearchSeconds, 6);
        Assert.Equal(4, sizing.TrainEpochs);
        Assert.Equal(272, sizing.PlannedTrainSeconds, 6);
    }

    [Fact]
    public void WhatARunCostsBesidesItsStepsIsPaidOncePerRun()
    {
        // As above, plus 6 s per search and 3 s per training: 5 search epochs now need 182.25 + 18 s, more than the
        // 192 s share, so 4 (141.75 + 18 s); 4 training epochs of all networks take 272 + 30 s.
        var steps = new DemoStepTimes(SearchStep: 0.3, TrainStep: 0.1, EvalImage: 0.02, SearchRun: 6, TrainRun: 3);
        DemoSizing sizing = DemoSizing.Size(s_plan, steps, 3, 45, 10, 60, 40, 480);
        Assert.Equal(4, sizing.SearchEpochs);
        Assert.Equal(159.75, sizing.PlannedSearchSeconds, 6);
        Assert.Equal(4, sizing.TrainEpochs);
        Assert.Equal(302, sizing.PlannedTrainSeconds, 6);
        Assert.True(sizing.FitsBudget);
    }

    [Fact]
    public void ASlowerMachineGetsFewerEpochsAndAFasterOneMore()
    {
        var quiet = new DemoStepTimes(0.3, 0.1, 0.02);
        var busy = quiet with { SearchStep = 0.9, TrainStep = 0.3, EvalImage = 0.06 };
        DemoSizing q = DemoSizing.Size(s_plan, quiet, 3, 45, 10, 60, 40, 480);
        DemoSizing b = DemoSizing.Size(s_plan, busy, 3, 45, 10, 60, 40, 480);
        Assert.True(b.SearchEpochs < q.SearchEpochs && b.TrainEpochs < q.TrainEpochs, $"{b} vs {q}");
        DemoSizing fast = DemoSizing.Size(s_plan, quiet with { SearchStep = 0.001, TrainStep = 0.001, EvalImage = 0 }, 3, 45, 10, 60, 40, 480);
        Assert.Equal(DemoSizing.MaxSearchEpochs, fast.SearchEpochs);
        Assert.Equal(DemoSizing.MaxTrainEpochs, fast.TrainEpochs);
    }

    [Fact]
    public void WhenEvenTheMinimumDoesNotFitTheSizingSaysSo()
    {
        DemoSizing s = DemoSizing.Size(s_plan, new DemoStepTimes(3, 1, 0.2), 3, 45, 10, 60, 40, availableSeconds: -30);
        Assert.Equal(DemoSizing.MinSearchEpochs, s.SearchEpochs);
        Assert.Equal(DemoSizing.MinTrainEpochs, s.TrainEpochs);
        Assert.False(s.FitsBudget);
        Assert.Equal(0, s.AvailableSeconds);
    }

    [Fact]
    public void TargetsLieBetweenTheCheapestNetworkAndWhereTheSearchStarts()
    {
        ArchitectureCostModel costs = ArchitectureCostModel.FromMacs(SearchSpaceCatalog.Small, new InputSize(128, 256), 19);
        DemoTargets targets = DemoTargets.Place(costs, 3);
        (double min, double max) = costs.Range();
        Assert.Equal(min, targets.Min);
        Assert.Equal(max, targets.Max);

        // The start is the expected cost under uniform probabilities: the mean over all genotypes, checked by sampling.
        var random = new Random(1);
        int candidates = costs.Space.Candidates.Count;
        double mean = Enumerable.Range(0, 4000)
            .Select(_ => costs.Cost(Genotype.FromIndices(costs.Space, Enumerable.Range(0, costs.Space.PositionCount).Select(_ => random.Next(candidates)).ToArray())))
            .Average();
        Assert.Equal(mean, targets.Start, mean * 0.01);

        Assert.Equal(3, targets.Targets.Count);
        Assert.All(targets.Targets, t => Assert.InRange(t, min + (0.1 * (targets.Start - min)), targets.Start - (0.1 * (targets.Start - min))));
        Assert.True(targets.Targets[0] < targets.Targets[1] && targets.Targets[1] < targets.Targets[2]);

        // Random baselines can be drawn at every target.
        var sampler = new RandomArchitectureSampler(costs, 5);
        Assert.All(targets.Targets, t => Assert.All(sampler.Sample(t, 2), g => Assert.InRange(costs.Cost(g), t * 0.95, t * 1.05)));
    }
}
