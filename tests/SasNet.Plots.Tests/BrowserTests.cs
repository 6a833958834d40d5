using SasNet.Pages;
using System.Text.RegularExpressions;
using Plotly.NET;
using SasNet.Plots.Builders;
using SasNet.Plots.Export;
using SasNet.Plots.Rendering;
using Xunit.Abstractions;

namespace SasNet.Plots.Tests;

/// <summary>Charts drawn by a real headless Chromium: PNG export and the saved pages.</summary>
public sealed class BrowserTests(ITestOutputHelper output) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("sasnet-plots-browser-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(folder, recursive: true); }
        catch (IOException) { /* a browser may still hold a file briefly */ }
    }

    [ChromiumFact]
    public void SliceViewerPngHasTheRequestedSizeAndShowsImageAndBothOutlines()
    {
        var (image, label, prediction) = Phantoms.LargeOrgan();
        var png = Path.Combine(folder, "slices.png");
        ChartFiles.SavePng(SliceViewer.Create(image, label, prediction), png, 800, 700);

        var (width, height, pixels) = PngReader.Read(png);
        Assert.Equal((800, 700), (width, height));
        Describe(png, pixels);
        Assert.True(pixels.Distinct().Count() > 50, "the plot did not draw");
        Assert.True(Share(pixels, p => p != 0xFFFFFF) > 0.3, "most of the picture is background");
        Assert.True(Share(pixels, p => Near(p, 0x2CA02C)) > 0.0005, "no ground-truth outline");
        Assert.True(Share(pixels, p => Near(p, 0xD62728)) > 0.0005, "no prediction outline");
    }

    [ChromiumFact]
    public void SurfacePngHasTheRequestedSizeAndShowsColouredMeshes()
    {
        var (_, label, prediction) = Phantoms.Organ(48, 48, 32);
        var png = Path.Combine(folder, "surfaces.png");
        ChartFiles.SavePng(SurfaceComparison.Create(label, prediction), png, 640, 480);

        var (width, height, pixels) = PngReader.Read(png);
        Assert.Equal((640, 480), (width, height));
        Describe(png, pixels);
        Assert.True(pixels.Distinct().Count() > 50, "the plot did not draw");
        // The meshes are red over translucent green: many pixels are clearly coloured, not grey.
        Assert.True(Share(pixels, p => Math.Abs((p >> 16 & 255) - (p >> 8 & 255)) > 60) > 0.02, "no coloured surface");
    }

    [ChromiumFact]
    public void SavedPagesRenderWithoutErrors()
    {
        var (image, label, prediction) = Phantoms.Organ(48, 48, 32);
        var slices = Path.Combine(folder, "slices.html");
        var surfaces = Path.Combine(folder, "surfaces.html");
        ChartFiles.SaveHtml(SliceViewer.Create(image, label, prediction), slices);
        ChartFiles.SaveHtml(SurfaceComparison.Create(label, prediction), surfaces);

        var slicesDom = HeadlessChromium.DumpDom(slices);
        Assert.Equal("rendered", Status(slicesDom));
        Assert.Contains("data-sasnet-plots=\"1\"", slicesDom);
        Assert.Contains("main-svg", slicesDom);          // plotly's SVG layers
        Assert.Contains("slider-container", slicesDom);

        var surfacesDom = HeadlessChromium.DumpDom(surfaces);
        Assert.Equal("rendered", Status(surfacesDom));
        Assert.Contains("gl-container", surfacesDom);     // plotly's WebGL layer of the 3D scene
    }

    [ChromiumFact]
    public void SliderStepsRestyleTheTracesWithTypedArrays()
    {
        var (image, label, prediction) = Phantoms.Organ(40, 36, 24);
        // Do what the slider does for its first step (an empty slice for both masks) and report the decoded sizes.
        const string Check = """
            <script>
            window.addEventListener('load', function () {
              Promise.all(window.sasnetPlots).then(function () {
                var plot = document.querySelector('.sasnet-chart');
                var step = plot.layout.sliders[0].steps[0];
                return Plotly.restyle(plot, step.args[0], step.args[1]).then(function () {
                  var sizes = plot._fullData.map(function (t) { return t.z.length + 'x' + t.z[0].length; });
                  document.body.setAttribute('data-restyled', sizes.join(','));
                });
              }).catch(function (e) { document.body.setAttribute('data-restyled', 'error ' + e); });
            });
            </script>
            """;
        var page = ChartFiles.ToHtmlPage(SliceViewer.Create(image, label, prediction), "slices").Replace("</body>", Check + "\n</body>");
        var path = Path.Combine(folder, "restyle.html");
        File.WriteAllText(path, page);
        var dom = HeadlessChromium.DumpDom(path);
        Assert.Equal("rendered", Status(dom));
        // The image is 36 rows × 40 columns; both masks are empty in slice 0: a single 1×1 cell.
        Assert.Contains("data-restyled=\"36x40,1x1,1x1\"", dom);
    }

    [ChromiumFact]
    public void PlotlyNETChartHtmlInAPageWithTheRecorderIsCountedAndDrawn()
    {
        // What an exported notebook holds: Plotly.NET's own div and script, under the kit's page scripts.
        var chart = BarCharts.Grouped(["a", "b"], [new BarSeries("s", [1, 2], [0.1, 0.2])], "bars");
        var page = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n" + PlotlyPage.ErrorRecorderScript + PlotlyPage.ScriptElement +
                   PlotlyPage.PlotRecorderScript + "</head>\n<body>\n" + GenericChart.toChartHTML(chart) + PlotlyPage.RenderStatusScript +
                   "\n</body></html>\n";
        var path = Path.Combine(folder, "plotly-net.html");
        File.WriteAllText(path, page);
        var dom = HeadlessChromium.DumpDom(path);
        Assert.Equal("rendered", Status(dom));
        Assert.Contains("data-sasnet-plots=\"1\"", dom);
        Assert.Contains("errorbar", dom);
    }

    private static string Status(string dom) => Regex.Match(dom, "data-sasnet-status=\"([^\"]*)\"").Groups[1].Value;

    private static double Share(int[] pixels, Func<int, bool> test) => pixels.Count(test) / (double)pixels.Length;

    private static bool Near(int pixel, int colour) =>
        Math.Abs((pixel >> 16 & 255) - (colour >> 16 & 255)) < 40 && Math.Abs((pixel >> 8 & 255) - (colour >> 8 & 255)) < 40 &&
        Math.Abs((pixel & 255) - (colour & 255)) < 40;

    private void Describe(string png, int[] pixels) =>
        output.WriteLine($"{Path.GetFileName(png)}: {new FileInfo(png).Length:N0} bytes, {pixels.Distinct().Count()} colours, " +
                         $"{Share(pixels, p => p != 0xFFFFFF):P0} not white");
}
