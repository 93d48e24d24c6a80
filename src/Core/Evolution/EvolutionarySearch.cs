using System.Globalization;
using Nas.Core.IO;
using Nas.Core.Progress;

namespace Nas.Core.Evolution;

/// <summary>
/// Constrained architecture search on proposals of a strategy (torch-free; the caller supplies the accuracy of a
/// genotype). Generation 0 is a population of distinct random feasible genotypes; every later generation evaluates
/// one population of proposals of the <see cref="ISearchStrategy"/> — evolution (<see cref="EvolutionStrategy"/>) or
/// random search (<see cref="RandomStrategy"/>), each feasible and never evaluated before, so no evaluation is spent on
/// an infeasible or repeated network — and keeps the best <see cref="EvolutionOptions.Population"/> of parents and
/// children by NSGA-II's selection (with the single objective mIoU this is plain elitist truncation). The state is saved after every generation and
/// each generation's random numbers depend only on (seed, generation), so a resumed search continues exactly.
/// </summary>
public sealed class EvolutionarySearch(EvolutionOptions options, ConstraintSet constraints)
{
    public EvolutionOptions Options { get; } = options;

    public ConstraintSet Constraints { get; } = constraints;

    /// <summary>What a saved state must match to be resumed: the options and every constraint.</summary>
    public string Fingerprint => string.Create(CultureInfo.InvariantCulture,
        $"{NasJson.Serialize(Options).ReplaceLineEndings(string.Empty)}|{Constraints.Positions}x{Constraints.Candidates}|{string.Join(";", Constraints.Constraints.Select(c => $"{c.Name}:{c.Unit}<={c.Limit:R}"))}");

    /// <summary>
    /// Runs (or, when <paramref name="statePath"/> holds a state, resumes) the search. <paramref name="accuracy"/> is
    /// called once per new feasible genotype; <paramref name="generationDone"/> after every completed generation.
    /// </summary>
    public EvolutionResult Run(
        Func<IReadOnlyList<int>, double> accuracy,
        string? statePath = null,
        Action<EvolutionState>? generationDone = null,
        IProgress<ProgressInfo>? progress = null,
        CancellationToken cancellationToken = default)
    {
        Options.Validate();
        Constraints.Validate();
        var sampler = new FeasibleSampler(Constraints);
        ISearchStrategy strategy = ISearchStrategy.For(Options, Constraints);
        List<Individual> population;
        List<Individual> archive;
        int start;
        if (statePath is not null && File.Exists(statePath))
        {
            EvolutionState state = NasJson.ReadFile<EvolutionState>(statePath);
            if (state.Fingerprint != Fingerprint)
            {
                throw new NasException($"{statePath}: the saved population belongs to a search with other settings; start over in a new folder");
            }

            population = [.. state.Population];
            archive = [.. state.Archive];
            start = state.GenerationsCompleted + 1;
        }
        else
        {
            Random rng = SeedMix.Random(Options.Seed, 0);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var initial = new List<int[]>();
            for (int attempt = 0; initial.Count < Options.Population && attempt < Options.Population * 20; attempt++)
            {
                int[] ops = sampler.Random(rng);
                if (seen.Add(GenotypeOperators.Key(ops)))
                {
                    initial.Add(ops);
                }
            }

            archive = [];
            population = Evaluate(initial, 0, accuracy, archive, progress, cancellationToken);
            start = 1;
            Save(statePath, generationDone, 0, population, archive);
        }

        for (int g = start; g <= Options.Generations; g++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            List<int[]> children = strategy.Propose(g, Options.Population, population, archive, SeedMix.Random(Options.Seed, g));
            List<Individual> evaluated = Evaluate(children, g, accuracy, archive, progress, cancellationToken);
            List<Individual> union = [.. population, .. evaluated];
            IReadOnlyList<int> survivors = ParetoSorting.SelectSurvivors(Points(union), Math.Min(Options.Population, union.Count));
            population = survivors.Select(i => union[i]).ToList();
            Save(statePath, generationDone, g, population, archive);
        }

        return new EvolutionResult(BestOf(archive), FrontOf(archive), population, archive);
    }

    /// <summary>The most accurate individual (ties: the cheaper under the first constraint, then the earlier).</summary>
    public static Individual BestOf(IReadOnlyList<Individual> individuals) =>
        individuals.Select((x, i) => (x, i))
            .OrderByDescending(t => double.IsNaN(t.x.Accuracy) ? -1 : t.x.Accuracy)
            .ThenBy(t => t.x.Costs.Count > 0 ? t.x.Costs[0] : 0)
            .ThenBy(t => t.i)
            .First().x;

    /// <summary>The non-dominated individuals under (accuracy ↑, first cost ↓), sorted by cost; duplicates of a point are kept once.</summary>
    public static IReadOnlyList<Individual> FrontOf(IReadOnlyList<Individual> individuals)
    {
        IReadOnlyList<IReadOnlyList<double>> points = individuals.Select(x => x.Objectives(EvolutionObjectives.MiouLatency)).ToArray();
        List<List<int>> fronts = ParetoSorting.Fronts(points);
        if (fronts.Count == 0)
        {
            return [];
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        return fronts[0].Select(i => individuals[i])
            .Where(x => seen.Add(x.Key))
            .OrderBy(x => x.Costs.Count > 0 ? x.Costs[0] : 0)
            .ThenByDescending(x => x.Accuracy)
            .ToArray();
    }

    private List<Individual> Evaluate(IReadOnlyList<int[]> genotypes, int generation, Func<IReadOnlyList<int>, double> accuracy, List<Individual> archive, IProgress<ProgressInfo>? progress, CancellationToken cancellationToken)
    {
        var result = new List<Individual>(genotypes.Count);
        foreach (int[] ops in genotypes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!Constraints.Feasible(ops))
            {
                throw new InvalidOperationException($"internal error: infeasible genotype {GenotypeOperators.Key(ops)} reached evaluation");
            }

            var x = new Individual(ops, accuracy(ops), Constraints.Costs(ops), generation);
            result.Add(x);
            archive.Add(x);
            Individual best = BestOf(archive);
            progress?.Report(new ProgressInfo("evolve", archive.Count, Math.Max(archive.Count, Options.TotalEvaluations),
                string.Create(CultureInfo.InvariantCulture, $"generation {generation}/{Options.Generations} best mIoU {best.Accuracy:P1} at {(best.Costs.Count > 0 ? best.Costs[0] : 0):G4} {(Constraints.Constraints.Count > 0 ? Constraints.Constraints[0].Unit : string.Empty)}")));
        }

        return result;
    }

    private IReadOnlyList<IReadOnlyList<double>> Points(IReadOnlyList<Individual> individuals) =>
        individuals.Select(x => x.Objectives(Options.Objectives)).ToArray();

    private void Save(string? statePath, Action<EvolutionState>? generationDone, int generation, IReadOnlyList<Individual> population, IReadOnlyList<Individual> archive)
    {
        var state = new EvolutionState
        {
            Fingerprint = Fingerprint,
            GenerationsCompleted = generation,
            Population = population.ToArray(),
            Archive = archive.ToArray(),
        };
        if (statePath is not null)
        {
            NasJson.WriteFile(statePath, state);
        }

        generationDone?.Invoke(state);
    }
}
