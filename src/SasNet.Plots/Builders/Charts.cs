using System.Globalization;
using Plotly.NET;
using Plotly.NET.CSharp;
using Plotly.NET.LayoutObjects;
using Chart = Plotly.NET.CSharp.Chart;

namespace SasNet.Plots.Builders;

/// <summary>One line of a training-curve figure.</summary>
/// <param name="Name">Legend name, e.g. "loss" or "Dice (val)".</param>
/// <param name="X">Iterations (or epochs).</param>
/// <param name="Y">Values.</param>
/// <param name="Panel">1-based panel (stacked subplots share the x axis): e.g. losses in 1, metrics in 2.</param>
public sealed record CurveSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, int Panel = 1);

/// <summary>Settings of <see cref="TrainingCurves.Create"/>.</summary>
public sealed record TrainingCurvesOptions
{
    /// <summary>Figure title.</summary>
    public string? Title { get; init; } = "Training curves";

    /// <summary>x axis title.</summary>
    public string XTitle { get; init; } = "iteration";

    /// <summary>y axis title per panel (missing: none).</summary>
    public IReadOnlyList<string> PanelTitles { get; init; } = ["loss", "metric"];

    /// <summary>
    /// Exponential moving average weight (0: off). The raw curve stays, faint, behind the smoothed one. Only series
    /// with more than <see cref="SmoothingMinPoints"/> points are smoothed (sparse validation curves are not).
    /// </summary>
    public double Smoothing { get; init; }

    /// <summary>Series with at most this many points are drawn unsmoothed.</summary>
    public int SmoothingMinPoints { get; init; } = 50;

    /// <summary>Panels drawn with a logarithmic y axis (1-based).</summary>
    public IReadOnlySet<int> LogPanels { get; init; } = new HashSet<int>();

    /// <summary>Height per panel in pixels.</summary>
    public int PanelHeight { get; init; } = 300;
}

/// <summary>Loss and metric curves against iteration, several series, optionally in stacked panels.</summary>
public static class TrainingCurves
{
    private static readonly string[] Palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>
    /// One line per series, in stacked panels that share the x axis (panel 1 at the top; the x title only under the
    /// last). Colours follow the series' names in order of first appearance: series of one name in several panels (one
    /// run's loss terms, say) share a colour and one legend entry, which shows or hides them together. With smoothing,
    /// a smoothed series is drawn over its faint raw curve, which has no legend entry and no hover. Series of at most
    /// 30 points also mark their points. Missing values (NaN) leave gaps.
    /// </summary>
    public static GenericChart Create(IEnumerable<CurveSeries> series, TrainingCurvesOptions? options = null)
    {
        options ??= new TrainingCurvesOptions();
        var list = series.ToList();
        if (list.Count == 0) throw new ArgumentException("give at least one series", nameof(series));
        if (list.Any(s => s.Panel < 1)) throw new ArgumentException("panels are numbered from 1", nameof(series));
        int panels = list.Max(s => s.Panel);
        var names = list.Select(s => s.Name).Distinct().ToList();
        var inLegend = new HashSet<string>();
        var tracesByPanel = Enumerable.Range(0, panels).Select(_ => new List<GenericChart>()).ToArray();
        for (int s = 0; s < list.Count; s++)
        {
            var curve = list[s];
            if (curve.X.Count != curve.Y.Count) throw new ArgumentException($"series '{curve.Name}' has {curve.X.Count} x and {curve.Y.Count} y values");
            var color = Color.fromString(Palette[names.IndexOf(curve.Name) % Palette.Length]);
            bool smooth = options.Smoothing > 0 && curve.Y.Count > options.SmoothingMinPoints;
            var panelTraces = tracesByPanel[curve.Panel - 1];
            if (smooth)
            {
                panelTraces.Add(Chart.Line<double, double, string>(curve.X, curve.Y, Name: curve.Name + " (raw)",
                        ShowLegend: false, Opacity: 0.3, LineColor: color, LineWidth: 1.0, UseDefaults: false)
                    .WithTraceInfo(LegendGroup: curve.Name)
                    .WithTraceAttributes(("hoverinfo", "skip")));
            }
            panelTraces.Add(Chart.Line<double, double, string>(curve.X, smooth ? Smooth(curve.Y, options.Smoothing) : curve.Y,
                    Name: curve.Name, ShowLegend: inLegend.Add(curve.Name), ShowMarkers: curve.X.Count <= 30, LineColor: color,
                    MarkerColor: color, LineWidth: 2.0, UseDefaults: false)
                .WithTraceInfo(LegendGroup: curve.Name));
        }

        var panelCharts = new List<GenericChart>();
        for (int p = 1; p <= panels; p++)
        {
            var panel = tracesByPanel[p - 1].Count > 0 ? Chart.Combine(tracesByPanel[p - 1]) : Chart.Invisible();
            var title = p - 1 < options.PanelTitles.Count ? options.PanelTitles[p - 1] : null;
            var yAxis = LayoutParts.Axis(title: title, type: options.LogPanels.Contains(p) ? StyleParam.AxisType.Log : null);
            panelCharts.Add(Plotly.NET.Chart.withYAxis(yAxis, null).Invoke(panel));
        }
        var chart = panels == 1
            ? panelCharts[0]
            : Chart.Grid(panelCharts, panels, 1, Pattern: StyleParam.LayoutGridPattern.Independent,
                RowOrder: StyleParam.LayoutGridRowOrder.TopToBottom);
        for (int p = 1; p <= panels; p++)
        {
            // Lower panels follow the first panel's x range when zooming.
            var xAxis = LayoutParts.Axis(title: p == panels ? options.XTitle : null, matches: p > 1 ? "x" : null);
            chart = Plotly.NET.Chart.withXAxis(xAxis, StyleParam.SubPlotId.NewXAxis(p)).Invoke(chart);
        }
        var layout = new Layout()
            .With("title", options.Title is null ? null : LayoutParts.Title(options.Title))
            .With("height", options.PanelHeight * panels + 80)
            .With("margin", LayoutParts.Margins(60, 20, 50, 50));
        chart = Plotly.NET.Chart.withLayout(layout).Invoke(chart);
        chart = Plotly.NET.Chart.withLegend(LayoutParts.Legend(StyleParam.Orientation.Horizontal, 0, -0.12), null).Invoke(chart);
        return Plotly.NET.Chart.withConfig(LayoutParts.Interactive()).Invoke(chart);
    }

    /// <summary>Exponential moving average with weight <paramref name="weight"/> on the past (0 ≤ weight &lt; 1).</summary>
    public static double[] Smooth(IReadOnlyList<double> values, double weight)
    {
        var result = new double[values.Count];
        double running = double.NaN;
        for (int i = 0; i < values.Count; i++)
        {
            if (!double.IsFinite(values[i])) { result[i] = double.NaN; continue; }
            running = double.IsNaN(running) ? values[i] : weight * running + (1 - weight) * values[i];
            result[i] = running;
        }
        return result;
    }
}

/// <summary>One group member of a bar chart: a value per category, with optional error half-widths.</summary>
/// <param name="Name">Legend name (e.g. "Dice").</param>
/// <param name="Values">One value per category.</param>
/// <param name="Errors">Error half-widths (e.g. standard deviation over cases), or null.</param>
public sealed record BarSeries(string Name, IReadOnlyList<double> Values, IReadOnlyList<double>? Errors = null);

/// <summary>Grouped bar charts with error bars, for ablation tables.</summary>
public static class BarCharts
{
    /// <summary>
    /// Bars grouped by category (x) with one colour per series, and vertical error bars (± half-width) for series that
    /// have errors. Values are written above the bars with <paramref name="valueFormat"/> (a .NET format string; null:
    /// no labels). A label sits above its error bar, not on it: labels are a text-only scatter trace in the bar's offset
    /// group, placed at value + error. Missing values (NaN) draw no bar. The legend stands to the right of the plot,
    /// clear of the title.
    /// </summary>
    public static GenericChart Grouped(IReadOnlyList<string> categories, IEnumerable<BarSeries> series, string? title = null,
        string? yTitle = null, string? valueFormat = "0.00")
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(series);
        var traces = new List<GenericChart>();
        double top = double.NegativeInfinity, bottom = 0;
        foreach (var bars in series)
        {
            if (bars.Values.Count != categories.Count)
                throw new ArgumentException($"series '{bars.Name}' has {bars.Values.Count} values for {categories.Count} categories");
            if (bars.Errors is not null && bars.Errors.Count != categories.Count)
                throw new ArgumentException($"series '{bars.Name}' has {bars.Errors.Count} errors for {categories.Count} categories");
            var halfWidths = bars.Values.Select((_, i) => Math.Max(0, bars.Errors?[i] ?? 0)).ToArray();
            var labelHeights = bars.Values.Select((v, i) => v + halfWidths[i]).ToArray();
            for (int i = 0; i < labelHeights.Length; i++)
            {
                if (!double.IsFinite(labelHeights[i])) continue;
                top = Math.Max(top, labelHeights[i]);
                bottom = Math.Min(bottom, bars.Values[i] - halfWidths[i]);
            }
            var column = Chart.Column<double, string, string>(bars.Values, Keys: categories.ToArray(), Name: bars.Name,
                    UseDefaults: false)
                .WithTraceInfo(LegendGroup: bars.Name)
                .WithTraceAttributes(("offsetgroup", bars.Name));
            if (bars.Errors is not null)
            {
                column = Plotly.NET.Chart.withYError(LayoutParts.ErrorBars(bars.Errors, capWidth: 4)).Invoke(column);
            }
            traces.Add(column);
            if (valueFormat is null) continue;
            traces.Add(Chart.Scatter<string, double, string>(categories, labelHeights, StyleParam.Mode.Text,
                    Name: bars.Name + " (values)", ShowLegend: false,
                    MultiText: bars.Values.Select(v => v.ToString(valueFormat, CultureInfo.InvariantCulture)).ToArray(),
                    TextPosition: StyleParam.TextPosition.TopCenter, OffsetGroup: bars.Name, UseDefaults: false)
                .WithTraceInfo(LegendGroup: bars.Name)
                .WithTraceAttributes(("hoverinfo", "skip")));
        }
        if (traces.Count == 0) throw new ArgumentException("give at least one series", nameof(series));

        var layout = new Layout()
            .With("title", title is null ? null : LayoutParts.Title(title))
            .With("barmode", StyleParam.BarMode.Group.ToString())
            .With("scattermode", StyleParam.ScatterMode.Group.ToString())
            .With("height", 460)
            .With("margin", LayoutParts.Margins(60, 20, 60, 80));
        var chart = Plotly.NET.Chart.withLayout(layout).Invoke(Chart.Combine(traces));
        // Long category names are tilted by plotly; the bottom margin grows to keep them whole.
        chart = Plotly.NET.Chart.withXAxis(LayoutParts.Axis(autoMargin: true), null).Invoke(chart);
        // Text is not counted by autorange: leave room above the highest label.
        (double, double)? yRange = valueFormat is not null && double.IsFinite(top) && top > bottom
            ? (bottom, top + 0.12 * (top - bottom))
            : null;
        chart = Plotly.NET.Chart.withYAxis(LayoutParts.Axis(title: yTitle, autoMargin: true, range: yRange), null).Invoke(chart);
        chart = Plotly.NET.Chart.withLegend(LayoutParts.Legend(StyleParam.Orientation.Vertical, 1.02, 1.0,
            StyleParam.XAnchorPosition.Left, StyleParam.YAnchorPosition.Top), null).Invoke(chart);
        return Plotly.NET.Chart.withConfig(LayoutParts.Interactive()).Invoke(chart);
    }
}
