using Nas.Core.IO;
using ScottPlot;

namespace Nas.Training.Plots;

/// <summary>The PNG plots of run folders and reports (ScottPlot), written atomically.</summary>
public static class RunPlots
{
    /// <summary>Line chart of one or more named series over a shared x axis (e.g. epochs).</summary>
    public static void Lines(string path, string title, string xLabel, string yLabel, IReadOnlyList<(string Name, double[] X, double[] Y)> series, int width = 800, int height = 500)
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

        if (series.Count > 1)
        {
            plot.ShowLegend();
        }

        Save(plot, path, width, height);
    }

    /// <summary>Heatmap of a matrix (rows × columns) with labelled axes, e.g. positions × candidate ops.</summary>
    public static void Heatmap(string path, string title, double[,] values, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels, int width = 900, int height = 650)
    {
        var plot = new Plot();
        plot.Title(title);
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(heatmap);
        int rows = values.GetLength(0);
        int columns = values.GetLength(1);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, columns).Select(i => (double)i).ToArray(), columnLabels.ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 90;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 90;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, rows).Select(i => (double)(rows - 1 - i)).ToArray(), rowLabels.ToArray());
        Save(plot, path, width, height);
    }

    /// <summary>Scatter of labelled point groups (e.g. latency vs mIoU for searched / random / published networks).</summary>
    public static void Scatter(string path, string title, string xLabel, string yLabel, IReadOnlyList<(string Group, double[] X, double[] Y)> groups, (double[] X, double[] Y)? line = null, string lineLabel = "fit", int width = 800, int height = 550)
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

        plot.ShowLegend();
        Save(plot, path, width, height);
    }

    private static void Save(Plot plot, string path, int width, int height)
    {
        byte[] png = plot.GetImageBytes(width, height, ImageFormat.Png);
        AtomicFile.WriteAllBytes(path, png);
    }
}
