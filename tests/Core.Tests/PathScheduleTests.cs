using Nas.Core.OneShot;

namespace Nas.Core.Tests;

public class PathScheduleTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(13)]
    public void StrictFairnessTrainsEveryCandidateOncePerBlockOfKRandomPaths(int randomPaths)
    {
        var schedule = new PathSchedule(20, 13, PathSampling.Uniform, PathFairness.Strict, randomPaths, seed: 5);
        var paths = Enumerable.Range(0, 13 * 4).SelectMany(s => schedule.PathsFor(s)).ToList();
        for (int block = 0; block < paths.Count / 13; block++)
        {
            for (int p = 0; p < 20; p++)
            {
                Assert.Equal(Enumerable.Range(0, 13), paths.Skip(block * 13).Take(13).Select(path => path[p]).Order());
            }
        }

        // With K random paths per step, every single step covers every candidate once per position (FairNAS).
        if (randomPaths == 13)
        {
            Assert.All(schedule.PathsFor(7), _ => { });
            Assert.Equal(Enumerable.Range(0, 13), schedule.PathsFor(7).Select(path => path[3]).Order());
        }

        // Paths are distinct from block to block (fresh permutations), not one permutation repeated.
        Assert.NotEqual(paths[0], paths[13]);
    }

    [Fact]
    public void PathsDependOnlyOnSeedAndStep()
    {
        var a = new PathSchedule(22, 13, PathSampling.Uniform, PathFairness.None, 2, seed: 9);
        var b = new PathSchedule(22, 13, PathSampling.Uniform, PathFairness.None, 2, seed: 9);
        var c = new PathSchedule(22, 13, PathSampling.Uniform, PathFairness.None, 2, seed: 10);
        Assert.Equal(a.PathsFor(123), b.PathsFor(123));
        Assert.NotEqual(a.PathsFor(123), c.PathsFor(123));
        Assert.NotEqual(a.PathsFor(123), a.PathsFor(124));

        // i.i.d. uniform: every candidate appears, roughly equally, at a position over many paths.
        int[] counts = new int[13];
        for (int s = 0; s < 1300; s++)
        {
            foreach (int[] path in a.PathsFor(s))
            {
                counts[path[4]]++;
            }
        }

        Assert.All(counts, n => Assert.InRange(n, 140, 260));
    }

    [Fact]
    public void TheSandwichRuleRunsLargestAndSmallestFirstEveryStep()
    {
        int[] largest = Enumerable.Repeat(5, 20).ToArray();
        int[] smallest = Enumerable.Repeat(12, 20).ToArray();
        var schedule = new PathSchedule(20, 13, PathSampling.Sandwich, PathFairness.Strict, 2, 1, largest, smallest);
        Assert.Equal(4, schedule.PathsPerStep);
        for (int s = 0; s < 5; s++)
        {
            IReadOnlyList<int[]> paths = schedule.PathsFor(s);
            Assert.Equal(4, paths.Count);
            Assert.Equal(largest, paths[0]);
            Assert.Equal(smallest, paths[1]);
        }

        Assert.Throws<NasException>(() => new PathSchedule(20, 13, PathSampling.Sandwich, PathFairness.Strict, 2, 1));
        Assert.Throws<NasException>(() => new PathSchedule(20, 13, PathSampling.Uniform, PathFairness.Strict, 0, 1));
    }
}
