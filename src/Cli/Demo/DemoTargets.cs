using Nas.Core;
using Nas.Latency.Costs;

namespace Nas.Cli.Demo;

/// <summary>
/// Where the demo's latency targets go. The target loss only penalises expected cost above the target, and a search
/// starts from uniform op probabilities, whose expected cost <see cref="Start"/> lies mid-range: a target above it
/// never binds and its search equals an unconstrained one. The targets are therefore spread between the cheapest
/// network and the starting expected cost (at 20 % … 80 % of that interval), so that every search is pulled down to a
/// different latency.
/// </summary>
public sealed record DemoTargets(double Min, double Max, double Start, IReadOnlyList<double> Targets)
{
    public static DemoTargets Place(ArchitectureCostModel costs, int count)
    {
        if (count < 1)
        {
            throw new NasException($"the demo needs at least one latency target (got {count})");
        }

        (double min, double max) = costs.Range();
        double start = StartingExpectedCost(costs);
        double[] fractions = count == 1
            ? [0.5]
            : Enumerable.Range(0, count).Select(i => 0.2 + (0.6 * i / (count - 1))).ToArray();
        return new DemoTargets(min, max, start, fractions.Select(f => min + (f * (start - min))).ToArray());
    }

    /// <summary>The expected cost under uniform op probabilities (all architecture logits zero): the fixed cost plus each position's mean.</summary>
    public static double StartingExpectedCost(ArchitectureCostModel costs)
    {
        double total = costs.FixedCost;
        int candidates = costs.BlockCosts.GetLength(1);
        for (int p = 0; p < costs.BlockCosts.GetLength(0); p++)
        {
            double sum = 0;
            for (int k = 0; k < candidates; k++)
            {
                sum += costs.BlockCosts[p, k];
            }

            total += sum / candidates;
        }

        return total;
    }

    /// <summary>How far a network's predicted cost lies above its target, in percent of the target (negative: below).</summary>
    public static double Excess(double predicted, double target) => (predicted - target) / target * 100;
}
