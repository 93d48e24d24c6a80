using Nas.Core.Evolution;
using Nas.TestSupport;

namespace Nas.Core.Tests;

public class ConstrainedEvolutionTests
{
    /// <summary>A random additive cost table: positions × candidates, with a fixed part.</summary>
    private static CostConstraint RandomConstraint(Random rng, int positions, int candidates, double limitFraction, string name, string unit = "ms")
    {
        var blocks = new double[positions, candidates];
        for (int p = 0; p < positions; p++)
        {
            for (int k = 0; k < candidates; k++)
            {
                blocks[p, k] = rng.NextDouble() < 0.1 ? 0 : Math.Exp(rng.NextDouble() * 4) * 0.01;
            }
        }

        double fixedCost = rng.NextDouble();
        var probe = new CostConstraint(name, unit, blocks, fixedCost, double.MaxValue);
        double min = probe.Cheapest().Cost, max = probe.Priciest().Cost;
        return new CostConstraint(name, unit, blocks, fixedCost, min + (limitFraction * (max - min)));
    }

    /// <summary>An accuracy that prefers expensive candidates, so the search pushes against the limits.</summary>
    private static Func<IReadOnlyList<int>, double> GreedyAccuracy(int seed, int positions, int candidates)
    {
        var rng = new Random(seed);
        var value = new double[positions, candidates];
        for (int p = 0; p < positions; p++)
        {
            for (int k = 0; k < candidates; k++)
            {
                value[p, k] = rng.NextDouble();
            }
        }

        return ops => ops.Select((k, p) => value[p, k]).Sum() / positions;
    }

    [Fact]
    public void NoReturnedOrEvaluatedGenotypeEverExceedsAnyLimit()
    {
        // Property over 60 random tables and limits (1-3 constraints, limits from just above the cheapest network to
        // generous), both objectives: every evaluated genotype, the best one and every front member satisfy every
        // limit, recomputed here independently of the constraint class.
        for (int trial = 0; trial < 60; trial++)
        {
            var rng = new Random(1000 + trial);
            int positions = rng.Next(3, 22);
            int candidates = rng.Next(2, 14);
            int count = 1 + rng.Next(3);
            var constraints = Enumerable.Range(0, count)
                .Select(c => RandomConstraint(rng, positions, candidates, rng.NextDouble() < 0.3 ? rng.NextDouble() * 0.02 : rng.NextDouble() * 0.6, $"table{c}.csv"))
                .ToArray();
            var set = new ConstraintSet(constraints, positions, candidates);
            var options = new EvolutionOptions
            {
                Population = rng.Next(2, 10),
                Generations = rng.Next(0, 5),
                MutationProb = rng.NextDouble(),
                CrossoverProb = rng.NextDouble(),
                Objectives = trial % 2 == 0 ? EvolutionObjectives.Miou : EvolutionObjectives.MiouLatency,
                Strategy = trial % 3 == 0 ? SearchStrategyKind.Random : SearchStrategyKind.Evolution,
                Seed = trial,
            };
            var search = new EvolutionarySearch(options, set);
            var evaluated = new List<IReadOnlyList<int>>();
            Func<IReadOnlyList<int>, double> score = GreedyAccuracy(trial, positions, candidates);
            EvolutionResult result;
            try
            {
                result = search.Run(ops =>
                {
                    evaluated.Add(ops.ToArray());
                    return score(ops);
                });
            }
            catch (NasException e) when (e.Message.Contains("no network of the space meets all", StringComparison.Ordinal))
            {
                // Several tight limits may exclude every network together: then the search must refuse, not return one.
                Assert.True(count > 1, e.Message);
                continue;
            }

            foreach (IReadOnlyList<int> ops in evaluated.Concat(result.Front.Select(x => x.Ops)).Append(result.Best.Ops))
            {
                foreach (CostConstraint c in constraints)
                {
                    double independent = c.FixedCost;
                    for (int p = 0; p < positions; p++)
                    {
                        independent += c.BlockCosts[p, ops[p]];
                    }

                    Assert.True(independent <= c.Limit, $"trial {trial}: {string.Join(',', ops)} costs {independent} > {c.Limit} under {c.Name}");
                }
            }

            Assert.Equal(evaluated.Count, evaluated.Select(GenotypeOperators.Key).Distinct().Count());
        }
    }

    [Fact]
    public void TheSearchFindsBetterNetworksThanItsRandomStartAndPressesAgainstTheLimit()
    {
        var rng = new Random(5);
        CostConstraint c = RandomConstraint(rng, 20, 13, 0.4, "t.csv");
        var set = new ConstraintSet([c], 20, 13);
        var noise = new Random(9);
        var value = new double[20, 13];
        for (int p = 0; p < 20; p++)
        {
            for (int k = 0; k < 13; k++)
            {
                value[p, k] = Math.Sqrt(c.BlockCosts[p, k]) + (0.05 * noise.NextDouble());
            }
        }

        double Score(IReadOnlyList<int> ops) => ops.Select((k, p) => value[p, k]).Sum() / 20;
        Func<IReadOnlyList<int>, double> score = Score;
        EvolutionResult result = new EvolutionarySearch(new EvolutionOptions { Population = 12, Generations = 15, Seed = 2 }, set).Run(score);
        double initialBest = result.Archive.Where(x => x.Generation == 0).Max(x => x.Accuracy);
        Assert.True(result.Best.Accuracy > initialBest + 0.02, $"best {result.Best.Accuracy} vs initial {initialBest}");
        Assert.True(result.Best.Costs[0] > 0.9 * c.Limit, $"best cost {result.Best.Costs[0]} vs limit {c.Limit}");
    }

    [Fact]
    public void EvolutionBeatsRandomSearchOfTheSameBudgetUnderTheSameLimit()
    {
        // Same table, limit, score and number of evaluations; only the strategy differs. Over 8 seeds evolution's
        // best network must be better than random search's on average (it is on every seed today).
        var rng = new Random(5);
        CostConstraint c = RandomConstraint(rng, 20, 13, 0.4, "t.csv");
        var set = new ConstraintSet([c], 20, 13);
        Func<IReadOnlyList<int>, double> score = GreedyAccuracy(17, 20, 13);
        double evolutionSum = 0, randomSum = 0;
        for (int seed = 0; seed < 8; seed++)
        {
            var options = new EvolutionOptions { Population = 10, Generations = 10, Seed = seed };
            EvolutionResult evolution = new EvolutionarySearch(options, set).Run(score);
            EvolutionResult random = new EvolutionarySearch(options with { Strategy = SearchStrategyKind.Random }, set).Run(score);
            Assert.Equal(evolution.Archive.Count, random.Archive.Count);
            Assert.All(random.Archive, x => Assert.True(x.Costs[0] <= c.Limit));
            evolutionSum += evolution.Best.Accuracy;
            randomSum += random.Best.Accuracy;
        }

        Assert.True(evolutionSum > randomSum + (8 * 0.01), $"evolution mean {evolutionSum / 8:F4} vs random mean {randomSum / 8:F4}");
    }

    [Fact]
    public void ALimitBelowTheCheapestNetworkIsRefusedNamingTheCheapestCost()
    {
        var blocks = new double[,] { { 1, 2 }, { 3, 0.5 } };
        var set = new ConstraintSet([new CostConstraint("lat.csv", "ms", blocks, 2, 3.4)], 2, 2);
        var e = Assert.Throws<NasException>(() => new EvolutionarySearch(new EvolutionOptions(), set).Run(_ => 0));
        Assert.Contains("below the cheapest network of the space (3.5 ms)", e.Message, StringComparison.Ordinal);
        Assert.Contains("lat.csv", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(-3)]
    public void APopulationBelowTwoIsRefused(int population)
    {
        var set = new ConstraintSet([new CostConstraint("t", "ms", new double[,] { { 1, 2 } }, 0, 5)], 1, 2);
        var e = Assert.Throws<NasException>(() => new EvolutionarySearch(new EvolutionOptions { Population = population }, set).Run(_ => 0));
        Assert.Contains("--population must be >= 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInterruptedSearchResumesExactly()
    {
        using var dir = new TempDirectory();
        var rng = new Random(11);
        var set = new ConstraintSet([RandomConstraint(rng, 12, 7, 0.5, "a.csv"), RandomConstraint(rng, 12, 7, 0.6, "b.csv", "macs")], 12, 7);
        var options = new EvolutionOptions { Population = 6, Generations = 6, Objectives = EvolutionObjectives.MiouLatency, Seed = 4 };
        Func<IReadOnlyList<int>, double> score = GreedyAccuracy(3, 12, 7);
        EvolutionResult straight = new EvolutionarySearch(options, set).Run(score, dir.Combine("straight.json"));

        // Stop in the middle of generation 3, then resume from the state saved after generation 2.
        string state = dir.Combine("interrupted.json");
        int calls = 0;
        Assert.Throws<OperationCanceledException>(() => new EvolutionarySearch(options, set).Run(ops =>
        {
            if (++calls == (3 * 6) + 3)
            {
                throw new OperationCanceledException();
            }

            return score(ops);
        }, state));
        Assert.Equal(2, NasJsonState(state).GenerationsCompleted);
        EvolutionResult resumed = new EvolutionarySearch(options, set).Run(score, state);

        Assert.Equal(Describe(straight.Archive), Describe(resumed.Archive));
        Assert.Equal(Describe(straight.Population), Describe(resumed.Population));
        Assert.Equal(Describe(straight.Front), Describe(resumed.Front));
        Assert.Equal(File.ReadAllText(dir.Combine("straight.json")), File.ReadAllText(state));

        // A state of other settings is refused rather than silently mixed in.
        var e = Assert.Throws<NasException>(() => new EvolutionarySearch(options with { MutationProb = 0.3 }, set).Run(score, state));
        Assert.Contains("other settings", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SeveralLimitsThatNoNetworkMeetsTogetherAreRefused()
    {
        // Candidate 0 is cheap for table A and expensive for table B, candidate 1 the opposite.
        var a = new CostConstraint("a.csv", "ms", new double[,] { { 0, 10 }, { 0, 10 } }, 0, 5);
        var b = new CostConstraint("b.csv", "macs", new double[,] { { 10, 0 }, { 10, 0 } }, 0, 5);
        var set = new ConstraintSet([a, b], 2, 2);
        var e = Assert.Throws<NasException>(() => new EvolutionarySearch(new EvolutionOptions(), set).Run(_ => 0));
        Assert.Contains("no network of the space meets all 2 limits together", e.Message, StringComparison.Ordinal);
    }

    private static EvolutionState NasJsonState(string path) => Nas.Core.IO.NasJson.ReadFile<EvolutionState>(path);

    private static string Describe(IEnumerable<Individual> xs) =>
        string.Join(";", xs.Select(x => $"{x.Key}@{x.Accuracy:R}/{string.Join('/', x.Costs.Select(c => c.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}#{x.Generation}"));
}
