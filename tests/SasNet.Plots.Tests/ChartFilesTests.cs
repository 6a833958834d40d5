using SasNet.Pages;
using System.Text.RegularExpressions;
using Plotly.NET;
using SasNet.Plots.Builders;
using SasNet.Plots.Export;
using SasNet.Plots.Rendering;

namespace SasNet.Plots.Tests;

public sealed class ChartFilesTests
{
    [Fact]
    public void PlotlyJsIsTheCopyInsidePlotlyNET()
    {
        Assert.Equal("2.28.0", PlotlyPage.Version);
        Assert.Equal(Globals.PLOTLYJS_VERSION, PlotlyPage.Version);
        Assert.Equal("Plotly.NET.plotly-2.28.0.min.js", PlotlyPage.ResourceName);
        Assert.Contains("plotly.js v2.28.0", PlotlyPage.Script[..500]);
        Assert.True(PlotlyPage.Script.Length > 3_000_000, $"{PlotlyPage.Script.Length:N0} characters");
        Assert.StartsWith("<script", PlotlyPage.ScriptElement);
        Assert.Equal("<script type=\"text/javascript\" charset=\"utf-8\">a('<\\/script>')</script>", PlotlyPage.InlineScriptElement("a('</script>')"));
    }

    [Fact]
    public void SavedPageWorksOfflineAndHoldsTheChartOnce()
    {
        var chart = BarCharts.Grouped(["a", "b"], [new BarSeries("</script><b>bold</b>", [1, 2])], title: "Bars & <more>");
        var path = Path.Combine(Path.GetTempPath(), $"sasnet-plots-test-{Guid.NewGuid():N}", "bars.html");
        try
        {
            ChartFiles.SaveHtml(chart, path);
            var page = File.ReadAllText(path);
            Assert.Equal(1, Regex.Count(page, Regex.Escape("plotly.js v2.28.0")));
            Assert.DoesNotContain("<script src=", page); // nothing is loaded from the network
            Assert.Contains("<title>Bars &amp; &lt;more&gt;</title>", page);
            // The trace name cannot end the script element early.
            Assert.DoesNotContain("</script><b>", page);
            Assert.Contains("<\\/script><b>bold<\\/b>", page);
            Assert.Contains("height:460px", page);
            Assert.Contains("Plotly.newPlot(", page);
            Assert.Contains(PlotlyPage.PlotRecorderScript, page);
            Assert.Contains(PlotlyPage.RenderStatusScript, page);
            Assert.True(page.IndexOf(PlotlyPage.ErrorRecorderScript, StringComparison.Ordinal) < page.IndexOf(PlotlyPage.ScriptElement, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public void PicturePageIsSizedWithoutModeBarAndLeavesTheChartUnchanged()
    {
        var chart = TrainingCurves.Create([new CurveSeries("loss", [0, 1, 2], [3, 2, 1])]);
        var before = GenericChart.toJson(chart);
        var page = ChartFiles.ToHtmlPage(chart, "picture", (640, 480));
        Assert.Contains("width:640px;height:480px;", page);
        Assert.Contains("width: 640, height: 480, autosize: false", page);
        Assert.Contains("displayModeBar: false", page);
        Assert.Contains("overflow: hidden", page);
        Assert.Equal(before, GenericChart.toJson(chart));
    }

    [Fact]
    public void FigureOutputFolderComesFromTheRunnerVariable()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"sasnet-figures-{Guid.NewGuid():N}");
        var previous = Environment.GetEnvironmentVariable(FigureOutput.Variable);
        try
        {
            Environment.SetEnvironmentVariable(FigureOutput.Variable, folder);
            Assert.Equal(Path.Combine(folder, "a.png"), FigureOutput.PathFor("a.png"));
            Assert.True(Directory.Exists(folder));
        }
        finally
        {
            Environment.SetEnvironmentVariable(FigureOutput.Variable, previous);
            if (Directory.Exists(folder)) Directory.Delete(folder);
        }
    }
}
