using System.Globalization;
using Nas.Core.SearchSpaces;
using Nas.Training.Plots;
using Nas.Training.Runs;

namespace Nas.Search.Runs;

/// <summary>
/// Plots of a search run: losses and expected cost per epoch (with the target line when the target loss was used),
/// and the final op probabilities per position (titled with the target).
/// </summary>
public static class SearchPlots
{
    /// <param name="target">The target cost of the target loss, in the cost unit; null for the other losses.</param>
    public static void Write(RunFolder run, SearchResult result, SearchSpace space, double? target = null)
    {
        var metrics = new MetricsCsv<SearchEpochRow>(run.MetricsPath, r => r.Epoch).ReadAll();
        double[] epochs = metrics.Select(r => (double)r.Epoch).ToArray();
        string unit = result.CostUnit;
        string targetText = target is double t ? $"target {t.ToString("G4", CultureInfo.InvariantCulture)} {unit}" : string.Empty;
        RunPlots.Lines(run.Combine("plots", "losses.png"), "Search losses", "epoch", "loss",
        [
            ("weight CE", epochs, metrics.Select(r => r.WeightLoss).ToArray()),
            ("arch loss", epochs, metrics.Select(r => r.ArchLoss).ToArray()),
            ("arch CE", epochs, metrics.Select(r => r.ArchCe).ToArray()),
        ]);
        RunPlots.Lines(run.Combine("plots", "cost.png"), $"Architecture cost ({unit}){(target is null ? string.Empty : ", " + targetText)}", "epoch", unit,
        [
            ("expected", epochs, metrics.Select(r => r.ExpectedCost).ToArray()),
            ("argmax", epochs, metrics.Select(r => r.ArgmaxCost).ToArray()),
        ],
            referenceLines: target is double line ? [(targetText, line)] : null);
        RunPlots.Heatmap(run.Combine("plots", "probabilities.png"), $"Final op probabilities{(target is null ? string.Empty : " (" + targetText + ")")}", result.Probabilities,
            Enumerable.Range(0, space.PositionCount).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray(),
            space.Candidates.Select(c => c.Name).ToArray(),
            colorBarLabel: "probability",
            rowAxisLabel: "position");
    }
}
