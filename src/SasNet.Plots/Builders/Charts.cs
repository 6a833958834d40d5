using SasNet.Plots.Figures;

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

    /// <summary>A figure with one line per series.</summary>
    public static Figure Create(IEnumerable<CurveSeries> series, TrainingCurvesOptions? options = null)
    {
        options ??= new TrainingCurvesOptions();
        var list = series.ToList();
        if (list.Count == 0) throw new ArgumentException("give at least one series", nameof(series));
        int panels = list.Max(s => s.Panel);
        var figure = new Figure();
        for (int s = 0; s < list.Count; s++)
        {
            var curve = list[s];
            if (curve.X.Count != curve.Y.Count) throw new ArgumentException($"series '{curve.Name}' has {curve.X.Count} x and {curve.Y.Count} y values");
            string color = Palette[s % Palette.Length];
            string? xAxis = curve.Panel == 1 ? null : $"x{curve.Panel}", yAxis = curve.Panel == 1 ? null : $"y{curve.Panel}";
            bool smooth = options.Smoothing > 0 && curve.Y.Count > options.SmoothingMinPoints;
            if (smooth)
            {
                figure.Add(new ScatterTrace
                {
                    Name = curve.Name + " (raw)", X = DataArray.Of(curve.X), Y = DataArray.Of(curve.Y), Mode = "lines",
                    Line = new LineStyle { Color = color, Width = 1 }, Opacity = 0.3, ShowLegend = false, LegendGroup = curve.Name,
                    XAxis = xAxis, YAxis = yAxis, HoverInfo = "skip",
                });
            }
            figure.Add(new ScatterTrace
            {
                Name = curve.Name, X = DataArray.Of(curve.X),
                Y = DataArray.Of(smooth ? Smooth(curve.Y, options.Smoothing) : curve.Y),
                Mode = curve.X.Count <= 30 ? "lines+markers" : "lines",
                Line = new LineStyle { Color = color, Width = 2 }, LegendGroup = curve.Name, XAxis = xAxis, YAxis = yAxis,
            });
        }
        var layout = new Layout
        {
            Title = options.Title,
            Height = options.PanelHeight * panels + 80,
            Margin = new Margin { Left = 60, Right = 20, Top = 50, Bottom = 50 },
            Legend = new Legend { Orientation = "h", X = 0, Y = -0.12 },
        };
        if (panels > 1) layout.Grid = new Grid { Rows = panels, Columns = 1, Pattern = "independent", RowOrder = "top to bottom" };
        for (int p = 1; p <= panels; p++)
        {
            var x = layout.XAxisAt(p);
            if (p > 1) x.Matches = "x";
            x.Title = p == panels ? options.XTitle : null;
            var y = layout.YAxisAt(p);
            y.Title = p - 1 < options.PanelTitles.Count ? options.PanelTitles[p - 1] : null;
            if (options.LogPanels.Contains(p)) y.Type = "log";
        }
        figure.Layout = layout;
        return figure;
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
    /// Bars grouped by category (x) with one colour per series; values are written above the bars with
    /// <paramref name="valueFormat"/> (a .NET format string; null: no labels). A label sits above its error bar, not on
    /// it: labels are a text-only scatter trace in the bar's offset group, placed at value + error. The legend stands to
    /// the right of the plot, clear of the title.
    /// </summary>
    public static Figure Grouped(IReadOnlyList<string> categories, IEnumerable<BarSeries> series, string? title = null,
        string? yTitle = null, string? valueFormat = "0.00")
    {
        var figure = new Figure();
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
            figure.Add(new BarTrace
            {
                Name = bars.Name,
                OffsetGroup = bars.Name,
                LegendGroup = bars.Name,
                X = DataArray.Of(categories),
                Y = DataArray.Of(bars.Values),
                ErrorY = bars.Errors is null ? null : new ErrorBars { Array = DataArray.Of(bars.Errors), Width = 4 },
            });
            if (valueFormat is null) continue;
            figure.Add(new ScatterTrace
            {
                Name = bars.Name + " (values)",
                OffsetGroup = bars.Name,
                LegendGroup = bars.Name,
                ShowLegend = false,
                HoverInfo = "skip",
                Mode = "text",
                X = DataArray.Of(categories),
                Y = DataArray.Of(labelHeights),
                Text = DataArray.Of(bars.Values.Select(v => v.ToString(valueFormat, System.Globalization.CultureInfo.InvariantCulture))),
                TextPosition = "top center",
            });
        }
        var layout = new Layout
        {
            Title = title,
            BarMode = "group",
            ScatterMode = "group",
            Height = 460,
            Margin = new Margin { Left = 60, Right = 20, Top = 60, Bottom = 80 },
            // Long category names are tilted by plotly; the bottom margin grows to keep them whole.
            XAxis = new Axis { AutoMargin = true },
            YAxis = new Axis { Title = yTitle, AutoMargin = true },
            Legend = new Legend { Orientation = "v", X = 1.02, XAnchor = "left", Y = 1, YAnchor = "top" },
        };
        // Text is not counted by autorange: leave room above the highest label.
        if (valueFormat is not null && double.IsFinite(top) && top > bottom)
            layout.YAxis.Range = [bottom, top + 0.12 * (top - bottom)];
        figure.Layout = layout;
        return figure;
    }
}
