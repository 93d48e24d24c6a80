using Nas.Core.IO;
using ScottPlot;

namespace Nas.Training.Plots;

/// <summary>
/// The PNG plots of run folders and reports (ScottPlot), written atomically. Legends sit outside the data area (right
/// of it), and an x axis whose values are all whole numbers (epochs) gets whole-number ticks only.
/// </summary>
public static class RunPlots
{
    /// <summary>Line chart of one or more named series over a shared x axis (e.g. epochs), with optional labelled horizontal reference lines (e.g. a target).</summary>
    public static void Lines(
        string path,
        string title,
        string xLabel,
        string yLabel,
        IReadOnlyList<(string Name, double[] X, double[] Y)> series,
        int width = 800,
        int height = 500,
        IReadOnlyList<(string Label, double Y)>? referenceLines = null)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        foreach ((string name, double[] x, double[] y) in series)
        {
            double[] ys = y.Select(v => double.IsFinite(v) ? v : double.NaN).ToArray();
            var scatter = plot.Add.Scatter(x, ys);
            scatter.LegendText = name;
        }

        foreach ((string label, double y) in referenceLines ?? [])
        {
            var line = plot.Add.HorizontalLine(y, 2, Colors.Black, LinePattern.Dashed);
            line.LegendText = label;
        }

        IntegerTicksWhenWhole(plot, series.SelectMany(s => s.X));
        if (series.Count + (referenceLines?.Count ?? 0) > 1)
        {
            plot.ShowLegend(Edge.Right);
        }

        Save(plot, path, width, height);
    }

    /// <summary>Heatmap of a matrix (rows × columns) with labelled axes and a labelled colour bar, e.g. positions × candidate ops.</summary>
    public static void Heatmap(string path, string title, double[,] values, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels, int width = 900, int height = 650, string colorBarLabel = "value", string? rowAxisLabel = null)
    {
        var plot = new Plot();
        plot.Title(title);
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        var bar = plot.Add.ColorBar(heatmap);
        bar.Label = colorBarLabel;
        int rows = values.GetLength(0);
        int columns = values.GetLength(1);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, columns).Select(i => (double)i).ToArray(), columnLabels.ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 90;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 90;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, rows).Select(i => (double)(rows - 1 - i)).ToArray(), rowLabels.ToArray());
        if (rowAxisLabel is not null)
        {
            plot.YLabel(rowAxisLabel);
        }

        Save(plot, path, width, height);
    }

    /// <summary>Scatter of labelled point groups (e.g. latency vs mIoU for searched / random / published networks), optionally with a reference line and a small text beside given points.</summary>
    public static void Scatter(
        string path,
        string title,
        string xLabel,
        string yLabel,
        IReadOnlyList<(string Group, double[] X, double[] Y)> groups,
        (double[] X, double[] Y)? line = null,
        string lineLabel = "fit",
        int width = 900,
        int height = 550,
        IReadOnlyList<(double X, double Y, string Text)>? annotations = null)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        foreach ((string group, double[] x, double[] y) in groups)
        {
            var s = plot.Add.ScatterPoints(x, y);
            s.LegendText = group;
            s.MarkerSize = 9;
        }

        if (line is (double[] lx, double[] ly))
        {
            var l = plot.Add.ScatterLine(lx, ly);
            l.LegendText = lineLabel;
        }

        if (annotations is { Count: > 0 })
        {
            // Room on the right for the texts of the rightmost points.
            plot.Axes.Margins(left: 0.05, right: 0.3, bottom: 0.1, top: 0.1);
        }

        foreach ((double x, double y, string label) in annotations ?? [])
        {
            var t = plot.Add.Text(label, x, y);
            t.LabelFontSize = 10;
            t.LabelFontColor = Colors.DimGray;
            t.LabelOffsetX = 6;
            t.LabelOffsetY = -6;
        }

        plot.ShowLegend(Edge.Right);
        Save(plot, path, width, height);
    }

    private static void IntegerTicksWhenWhole(Plot plot, IEnumerable<double> xs)
    {
        if (xs.All(x => !double.IsFinite(x) || x == Math.Round(x)))
        {
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        }
    }

    private static void Save(Plot plot, string path, int width, int height)
    {
        byte[] png = plot.GetImageBytes(width, height, ImageFormat.Png);
        AtomicFile.WriteAllBytes(path, png);
    }
}
