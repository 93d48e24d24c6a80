namespace Nas.Core.Evolution;

/// <summary>
/// NSGA-II's building blocks (Deb et al. 2002) for objective vectors that are all minimised: Pareto dominance,
/// fast non-dominated sorting into fronts, crowding distance and the elitist survivor selection. Ties are broken
/// by index, so the result depends only on the input order.
/// </summary>
public static class ParetoSorting
{
    /// <summary>True when <paramref name="a"/> is no worse than <paramref name="b"/> in every objective and better in one.</summary>
    public static bool Dominates(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        bool better = false;
        for (int i = 0; i < a.Count; i++)
        {
            if (a[i] > b[i])
            {
                return false;
            }

            if (a[i] < b[i])
            {
                better = true;
            }
        }

        return better;
    }

    /// <summary>The fronts of <paramref name="points"/>: front 0 is non-dominated, front 1 is non-dominated once front 0 is removed, …</summary>
    public static List<List<int>> Fronts(IReadOnlyList<IReadOnlyList<double>> points)
    {
        int n = points.Count;
        var dominated = new List<int>[n];
        var dominatedBy = new int[n];
        var fronts = new List<List<int>> { new() };
        for (int i = 0; i < n; i++)
        {
            dominated[i] = [];
            for (int j = 0; j < n; j++)
            {
                if (i == j)
                {
                    continue;
                }

                if (Dominates(points[i], points[j]))
                {
                    dominated[i].Add(j);
                }
                else if (Dominates(points[j], points[i]))
                {
                    dominatedBy[i]++;
                }
            }

            if (dominatedBy[i] == 0)
            {
                fronts[0].Add(i);
            }
        }

        while (true)
        {
            var next = new List<int>();
            foreach (int i in fronts[^1])
            {
                foreach (int j in dominated[i])
                {
                    if (--dominatedBy[j] == 0)
                    {
                        next.Add(j);
                    }
                }
            }

            if (next.Count == 0)
            {
                break;
            }

            next.Sort();
            fronts.Add(next);
        }

        if (n == 0)
        {
            fronts.Clear();
        }

        return fronts;
    }

    /// <summary>
    /// Crowding distance of each member of <paramref name="front"/> (same order): per objective, boundary members
    /// get infinity and inner members the normalised gap between their neighbours, summed over objectives.
    /// </summary>
    public static double[] CrowdingDistances(IReadOnlyList<IReadOnlyList<double>> points, IReadOnlyList<int> front)
    {
        int m = front.Count;
        var distance = new double[m];
        if (m == 0)
        {
            return distance;
        }

        int objectives = points[front[0]].Count;
        for (int o = 0; o < objectives; o++)
        {
            int[] order = Enumerable.Range(0, m).OrderBy(i => points[front[i]][o]).ThenBy(i => front[i]).ToArray();
            double lo = points[front[order[0]]][o];
            double hi = points[front[order[^1]]][o];
            distance[order[0]] = double.PositiveInfinity;
            distance[order[^1]] = double.PositiveInfinity;
            if (hi <= lo)
            {
                continue;
            }

            for (int r = 1; r < m - 1; r++)
            {
                distance[order[r]] += (points[front[order[r + 1]]][o] - points[front[order[r - 1]]][o]) / (hi - lo);
            }
        }

        return distance;
    }

    /// <summary>Front rank and crowding distance of every point.</summary>
    public static (int[] Rank, double[] Crowding) RankAndCrowding(IReadOnlyList<IReadOnlyList<double>> points)
    {
        var rank = new int[points.Count];
        var crowding = new double[points.Count];
        List<List<int>> fronts = Fronts(points);
        for (int f = 0; f < fronts.Count; f++)
        {
            double[] d = CrowdingDistances(points, fronts[f]);
            for (int i = 0; i < fronts[f].Count; i++)
            {
                rank[fronts[f][i]] = f;
                crowding[fronts[f][i]] = d[i];
            }
        }

        return (rank, crowding);
    }

    /// <summary>
    /// NSGA-II's environmental selection: whole fronts in order while they fit, then the members of the first front
    /// that does not fit by decreasing crowding distance. Returns <paramref name="count"/> indices.
    /// </summary>
    public static IReadOnlyList<int> SelectSurvivors(IReadOnlyList<IReadOnlyList<double>> points, int count)
    {
        var chosen = new List<int>(count);
        foreach (List<int> front in Fronts(points))
        {
            if (chosen.Count + front.Count <= count)
            {
                chosen.AddRange(front);
                continue;
            }

            double[] d = CrowdingDistances(points, front);
            chosen.AddRange(Enumerable.Range(0, front.Count).OrderByDescending(i => d[i]).ThenBy(i => front[i]).Take(count - chosen.Count).Select(i => front[i]));
            break;
        }

        return chosen;
    }
}
