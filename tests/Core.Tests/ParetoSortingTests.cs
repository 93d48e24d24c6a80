using Nas.Core.Evolution;

namespace Nas.Core.Tests;

public class ParetoSortingTests
{
    private static bool BruteForceDominates(IReadOnlyList<double> a, IReadOnlyList<double> b) =>
        a.Zip(b).All(t => t.First <= t.Second) && a.Zip(b).Any(t => t.First < t.Second);

    [Fact]
    public void FrontsMatchABruteForceDefinitionOnRandomPointSets()
    {
        for (int trial = 0; trial < 200; trial++)
        {
            var rng = new Random(trial);
            int n = rng.Next(0, 25);
            int m = rng.Next(1, 4);

            // Few distinct values per objective, so ties and duplicate points occur.
            IReadOnlyList<IReadOnlyList<double>> points = Enumerable.Range(0, n)
                .Select(_ => (IReadOnlyList<double>)Enumerable.Range(0, m).Select(_ => (double)rng.Next(6)).ToArray()).ToArray();
            List<List<int>> fronts = ParetoSorting.Fronts(points);

            // Every point is in exactly one front; front f = points not dominated by anything outside fronts 0..f-1.
            Assert.Equal(Enumerable.Range(0, n), fronts.SelectMany(f => f).Order());
            var remaining = Enumerable.Range(0, n).ToHashSet();
            foreach (List<int> front in fronts)
            {
                var expected = remaining.Where(i => !remaining.Any(j => BruteForceDominates(points[j], points[i]))).Order().ToArray();
                Assert.Equal(expected, front.Order());
                remaining.ExceptWith(front);
            }
        }
    }

    [Fact]
    public void CrowdingDistanceGivesBoundariesInfinityAndInnerPointsTheNormalisedGap()
    {
        IReadOnlyList<IReadOnlyList<double>> points = [[0.0, 4.0], [1.0, 2.0], [3.0, 1.0], [4.0, 0.0]];
        double[] d = ParetoSorting.CrowdingDistances(points, [0, 1, 2, 3]);
        Assert.True(double.IsPositiveInfinity(d[0]));
        Assert.True(double.IsPositiveInfinity(d[3]));
        Assert.Equal((3.0 / 4) + (3.0 / 4), d[1], 12);
        Assert.Equal((3.0 / 4) + (2.0 / 4), d[2], 12);
    }

    [Fact]
    public void SurvivorSelectionKeepsWholeFrontsThenTheLeastCrowded()
    {
        // Front 0: a, b, c, d (a line); front 1: e. Keep 3: the two boundaries and the inner point with the larger gap.
        IReadOnlyList<IReadOnlyList<double>> points = [[0.0, 4.0], [1.0, 2.0], [3.0, 1.0], [4.0, 0.0], [5.0, 5.0]];
        Assert.Equal([0, 3, 1], ParetoSorting.SelectSurvivors(points, 3));
        Assert.Equal([0, 1, 2, 3, 4], ParetoSorting.SelectSurvivors(points, 5).Order());
    }

    [Fact]
    public void Nsga2ReturnsTheBruteForceParetoFrontOfASmallSpace()
    {
        // 4 positions x 3 candidates = 81 networks; with one cost limit; the evolution's front (of everything it
        // evaluated) must be non-dominated, and when the search has seen every feasible network it must equal the
        // brute-force front over the feasible set.
        var rng = new Random(3);
        var blocks = new double[4, 3];
        var value = new double[4, 3];
        for (int p = 0; p < 4; p++)
        {
            for (int k = 0; k < 3; k++)
            {
                // Costlier candidates tend to be more accurate, so accuracy and cost trade off along a real front.
                blocks[p, k] = 1 + k + rng.Next(2);
                value[p, k] = (0.3 * k) + (0.4 * rng.NextDouble());
            }
        }

        var constraint = new CostConstraint("t", "ms", blocks, 1, 12);
        var set = new ConstraintSet([constraint], 4, 3);
        double Accuracy(IReadOnlyList<int> ops) => ops.Select((k, p) => value[p, k]).Sum() / 4;

        var all = new List<int[]>();
        for (int i = 0; i < 81; i++)
        {
            int[] ops = [i % 3, i / 3 % 3, i / 9 % 3, i / 27 % 3];
            if (constraint.Allows(ops))
            {
                all.Add(ops);
            }
        }

        var bruteForce = all.Where(a => !all.Any(b =>
                (Accuracy(b) >= Accuracy(a) && constraint.Cost(b) <= constraint.Cost(a)) && (Accuracy(b) > Accuracy(a) || constraint.Cost(b) < constraint.Cost(a))))
            .Select(GenotypeOperators.Key).Order().ToArray();

        EvolutionResult small = new EvolutionarySearch(new EvolutionOptions { Population = 6, Generations = 2, Objectives = EvolutionObjectives.MiouLatency, Seed = 1 }, set).Run(Accuracy);
        foreach (Individual a in small.Front)
        {
            Assert.DoesNotContain(small.Archive, b => ParetoSorting.Dominates(b.Objectives(EvolutionObjectives.MiouLatency), a.Objectives(EvolutionObjectives.MiouLatency)));
        }

        EvolutionResult exhaustive = new EvolutionarySearch(new EvolutionOptions { Population = 8, Generations = 20, Objectives = EvolutionObjectives.MiouLatency, Seed = 1 }, set).Run(Accuracy);
        Assert.Equal(all.Count, exhaustive.Archive.Count);
        Assert.Equal(bruteForce, exhaustive.Front.Select(x => x.Key).Order());
        Assert.True(bruteForce.Length >= 3, $"the case should have a real front (got {bruteForce.Length})");
    }
}
