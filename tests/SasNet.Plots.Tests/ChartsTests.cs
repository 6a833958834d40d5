using SasNet.Plots.Builders;
using static SasNet.Plots.Tests.ChartJson;

namespace SasNet.Plots.Tests;

public sealed class TrainingCurvesTests
{
    private static readonly double[] Iterations = Enumerable.Range(0, 200).Select(i => 10.0 * i).ToArray();

    [Fact]
    public void SmoothedSeriesInTwoPanelsShareXAndKeepTheirFaintRawCurve()
    {
        var loss = Iterations.Select(i => Math.Exp(-i / 500) + 0.05 * Math.Sin(i)).ToArray();
        var validation = Enumerable.Range(0, 10).Select(k => 200.0 * k).ToArray();
        var chart = new ChartJson(TrainingCurves.Create(
        [
            new CurveSeries("loss", Iterations, loss),
            new CurveSeries("Dice (val)", validation, validation.Select(i => 1 - Math.Exp(-i / 400)).ToArray(), Panel: 2),
        ], new TrainingCurvesOptions { Smoothing = 0.9, PanelTitles = ["loss", "Dice"], LogPanels = new HashSet<int> { 1 } }));

        // The long loss curve is smoothed (raw + smoothed trace); the 10-point validation curve is not.
        Assert.Equal(["loss (raw)", "loss", "Dice (val)"], chart.Data.Select(t => Str(t["name"])));
        Assert.All(chart.Data, t => Assert.Equal("scatter", Str(t["type"])));
        var raw = chart.Data[0];
        Assert.False(raw["showlegend"]!.GetValue<bool>());
        Assert.Equal("skip", Str(raw["hoverinfo"]));
        Assert.Equal(0.3, Num(raw["opacity"]));
        Assert.Equal("loss", Str(raw["legendgroup"]));
        var smoothed = TrainingCurves.Smooth(loss, 0.9);
        Assert.Equal(smoothed, chart.Data[1]["y"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal(Str(raw["line"]!["color"]), Str(chart.Data[1]["line"]!["color"]));
        Assert.Equal("lines+markers", Str(chart.Data[2]["mode"]));

        // Panels: loss on a log axis at the top, Dice below, the lower x axis following the upper one.
        Assert.Equal(["x", "x", "x2"], chart.Data.Select(t => Str(t["xaxis"])));
        Assert.Equal(["y", "y", "y2"], chart.Data.Select(t => Str(t["yaxis"])));
        Assert.Equal(2, chart.Layout["grid"]!["rows"]!.GetValue<int>());
        Assert.Equal("top to bottom", Str(chart.Layout["grid"]!["roworder"]));
        Assert.Equal("log", Str(chart.Layout["yaxis"]!["type"]));
        Assert.False(chart.Layout["yaxis2"]!.AsObject().ContainsKey("type"));
        Assert.Equal("loss", Str(chart.Layout["yaxis"]!["title"]!["text"]));
        Assert.Equal("Dice", Str(chart.Layout["yaxis2"]!["title"]!["text"]));
        Assert.Equal("x", Str(chart.Layout["xaxis2"]!["matches"]));
        Assert.Equal("iteration", Str(chart.Layout["xaxis2"]!["title"]!["text"]));
        Assert.False(chart.Layout["xaxis"]!.AsObject().ContainsKey("title"));
        Assert.Equal(2 * 300 + 80, chart.Layout["height"]!.GetValue<int>());
    }

    [Fact]
    public void SeriesOfOneNameInSeveralPanelsShareAColourAndOneLegendEntry()
    {
        var chart = new ChartJson(TrainingCurves.Create(
        [
            new CurveSeries("run A", [0, 1, 2], [3, 2, 1]),
            new CurveSeries("run B", [0, 1, 2], [3, 3, 2]),
            new CurveSeries("run A", [0, 1, 2], [0.5, 0.2, 0.1], Panel: 2),
            new CurveSeries("run B", [0, 1, 2], [0.5, 0.4, 0.3], Panel: 2),
        ], new TrainingCurvesOptions { PanelTitles = ["seg", "plc"] }));

        var colours = chart.Data.Select(t => Str(t["line"]!["color"])).ToList();
        Assert.Equal(colours[0], colours[2]);
        Assert.Equal(colours[1], colours[3]);
        Assert.NotEqual(colours[0], colours[1]);
        Assert.Equal([true, true, false, false], chart.Data.Select(t => t["showlegend"]!.GetValue<bool>()));
        Assert.Equal(["run A", "run B", "run A", "run B"], chart.Data.Select(t => Str(t["legendgroup"])));
        Assert.Equal(["y", "y", "y2", "y2"], chart.Data.Select(t => Str(t["yaxis"])));
    }

    [Fact]
    public void OnePanelHasNoGridAndMissingValuesStayGaps()
    {
        var chart = new ChartJson(TrainingCurves.Create([new CurveSeries("γ", [0, 1, 2], [0.5, double.NaN, 1])],
            new TrainingCurvesOptions { Title = "γ(t)", PanelTitles = ["γ"] }));
        Assert.False(chart.Layout.ContainsKey("grid"));
        Assert.Equal("γ(t)", Str(chart.Layout["title"]!["text"]));
        // Plotly.NET writes NaN as the string "NaN", which plotly treats as a gap.
        Assert.Equal("NaN", chart.Data[0]["y"]![1]!.GetValue<string>());
    }

    [Fact]
    public void SmoothingIsAnExponentialMovingAverageThatSkipsMissingValues()
    {
        var smoothed = TrainingCurves.Smooth([1, 3, double.NaN, 5], 0.5);
        Assert.Equal(1, smoothed[0]);
        Assert.Equal(2, smoothed[1]);
        Assert.True(double.IsNaN(smoothed[2]));
        Assert.Equal(3.5, smoothed[3]);
        Assert.Throws<ArgumentException>(() => TrainingCurves.Create([new CurveSeries("bad", [1, 2], [1])]));
    }
}

public sealed class BarChartsTests
{
    [Fact]
    public void GroupedBarsHaveErrorBarsAndValueLabelsAboveThem()
    {
        var chart = new ChartJson(BarCharts.Grouped(["High", "Low", "Both"],
            [new BarSeries("paper", [0.81, 0.8, double.NaN]), new BarSeries("this run", [0.8, 0.82, 0.85], [0.02, 0.03, 0.01])],
            "Branches", "Dice"));

        Assert.Equal(["bar", "scatter", "bar", "scatter"], chart.TraceTypes);
        Assert.Equal("group", Str(chart.Layout["barmode"]));
        Assert.Equal("group", Str(chart.Layout["scattermode"]));
        Assert.Equal("Branches", Str(chart.Layout["title"]!["text"]));
        Assert.Equal("Dice", Str(chart.Layout["yaxis"]!["title"]!["text"]));

        var bars = chart.Data[2];
        Assert.Equal(["High", "Low", "Both"], bars["x"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("data", Str(bars["error_y"]!["type"]));
        Assert.True(bars["error_y"]!["visible"]!.GetValue<bool>());
        Assert.Equal([0.02, 0.03, 0.01], bars["error_y"]!["array"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.False(chart.Data[0].ContainsKey("error_y"));

        // Labels ride on a text trace in the bar's offset group, at value + error, so error bars never cover them.
        var labels = chart.Data[3];
        Assert.Equal("text", Str(labels["mode"]));
        Assert.Equal(Str(bars["offsetgroup"]), Str(labels["offsetgroup"]));
        Assert.Equal("this run", Str(labels["legendgroup"]));
        Assert.False(labels["showlegend"]!.GetValue<bool>());
        Assert.Equal("skip", Str(labels["hoverinfo"]));
        Assert.Equal([0.82, 0.85, 0.86], labels["y"]!.AsArray().Select(v => Math.Round(v!.GetValue<double>(), 6)));
        Assert.Equal(["0.80", "0.82", "0.85"], labels["text"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("top center", Str(labels["textposition"]));

        Assert.True(Num(chart.Layout["yaxis"]!["range"]![1]) > 0.86, "the y range leaves room above the highest label");
        Assert.True(Num(chart.Layout["legend"]!["x"]) > 1, "the legend stands right of the plot");
    }

    [Fact]
    public void WithoutAValueFormatThereAreNoLabelTraces()
    {
        var chart = new ChartJson(BarCharts.Grouped(["a", "b"], [new BarSeries("s", [1, 2])], valueFormat: null));
        Assert.Equal(["bar"], chart.TraceTypes);
        Assert.Throws<ArgumentException>(() => BarCharts.Grouped(["a"], [new BarSeries("s", [1, 2])]));
    }
}
