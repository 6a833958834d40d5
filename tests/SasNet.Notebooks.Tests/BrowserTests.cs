using System.Text.RegularExpressions;
using SasNet.Notebooks.Execution;
using SasNet.Notebooks.Format;
using SasNet.Plots.Rendering;
using Xunit.Abstractions;

namespace SasNet.Notebooks.Tests;

/// <summary>A fact that is skipped, with the reason, when no Chromium is installed.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (HeadlessChromium.Locate() is null)
            Skip = "Chromium is not installed (apt-get install chromium, or bash environment/setup.sh --test-tools)";
    }
}

public sealed class BrowserTests(ITestOutputHelper output)
{
    [ChromiumFact]
    public async Task Exported_notebook_with_slice_viewer_and_surfaces_renders_in_chromium()
    {
        using var folder = new TempFolder();
        // The notebook references the Plots and Geometry DLLs by path, as a real notebook references the kit.
        var bin = AppContext.BaseDirectory;
        var notebook = NotebookDocument.CreatePolyglot();
        notebook.AddMarkdown("# Figures\nA slice viewer and a **3D** surface, $x^2$ stays.");
        notebook.AddCode(
            $"#r \"{Path.Combine(bin, "SasNet.Geometry.dll")}\"\n#r \"{Path.Combine(bin, "SasNet.Plots.dll")}\"\n#r \"{Path.Combine(bin, "Plotly.NET.dll")}\"\n" +
            $"#r \"{Path.Combine(bin, "SasNet.Notebooks.Tests.dll")}\"\n" +
            "using Plotly.NET;\nusing SasNet.Plots.Builders;\nvar (image, label, prediction) = SasNet.Notebooks.Tests.Phantom.Case(48, 48, 32);");
        // The charts are Plotly.NET GenericCharts; until this runner formats them itself, the cells show their HTML.
        notebook.AddCode("display(HTML(GenericChart.toChartHTML(SliceViewer.Create(image, label, prediction, axis: 2))));");
        notebook.AddCode("var surfaces = SurfaceComparison.Create(label, prediction);\nSasNet.Plots.Export.ChartFiles.SaveHtml(surfaces, SasNet.Plots.Rendering.FigureOutput.PathFor(\"surfaces.html\"));\nHTML(GenericChart.toChartHTML(surfaces))");
        var path = folder.File("figures.ipynb");
        notebook.Save(path);
        var result = await new NotebookRunner(new NotebookRunOptions { OutputDirectory = folder.File("out"), Log = TextWriter.Null }).RunAsync(path);
        Assert.True(result.Succeeded, result.Summary);
        Assert.Contains(folder.File("out/surfaces.html"), result.SavedFiles);
        output.WriteLine($"exported page: {new FileInfo(result.OutputHtmlPath!).Length:N0} bytes; cells: {string.Join(", ", result.Cells.Select(c => $"{c.Duration.TotalMilliseconds:F0} ms"))}");

        var dom = HeadlessChromium.DumpDom(result.OutputHtmlPath!);
        var status = Regex.Match(dom, "data-sasnet-status=\"([^\"]*)\"").Groups[1].Value;
        Assert.True(status == "rendered", $"page status: '{status}'");
        Assert.Contains("data-sasnet-plots=\"2\"", dom);
        Assert.Contains("main-svg", dom);        // plotly's SVG layers (slice viewer)
        Assert.Contains("gl-container", dom);    // plotly's WebGL layer (3D scene)
        Assert.Contains("slider-container", dom);
        Assert.Contains("<strong>3D</strong>", dom);
    }
}
