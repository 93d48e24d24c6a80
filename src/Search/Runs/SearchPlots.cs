using Nas.Core.SearchSpaces;
using Nas.Training.Plots;
using Nas.Training.Runs;

namespace Nas.Search.Runs;

/// <summary>Plots of a search run: losses and expected cost per epoch, and the final op probabilities per position.</summary>
public static class SearchPlots
{
    public static void Write(RunFolder run, SearchResult result, SearchSpace space)
    {
        var metrics = new MetricsCsv<SearchEpochRow>(run.MetricsPath, r => r.Epoch).ReadAll();
        double[] epochs = metrics.Select(r => (double)r.Epoch).ToArray();
        RunPlots.Lines(run.Combine("plots", "losses.png"), "Search losses", "epoch", "loss",
        [
            ("weight CE", epochs, metrics.Select(r => r.WeightLoss).ToArray()),
            ("arch loss", epochs, metrics.Select(r => r.ArchLoss).ToArray()),
            ("arch CE", epochs, metrics.Select(r => r.ArchCe).ToArray()),
        ]);
        RunPlots.Lines(run.Combine("plots", "cost.png"), $"Architecture cost ({result.CostUnit})", "epoch", result.CostUnit,
        [
            ("expected", epochs, metrics.Select(r => r.ExpectedCost).ToArray()),
            ("argmax", epochs, metrics.Select(r => r.ArgmaxCost).ToArray()),
        ]);
        RunPlots.Heatmap(run.Combine("plots", "probabilities.png"), "Final op probabilities (rows: positions)", result.Probabilities,
            Enumerable.Range(0, space.PositionCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
            space.Candidates.Select(c => c.Name).ToArray());
    }
}
