using System.IO.Compression;
using System.Text.RegularExpressions;
using SasNet.Notebooks.Execution;
using SasNet.Notebooks.Format;
using SasNet.Plots.Builders;
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
        else if (PlotlyJs.Locate() is null)
            Skip = "plotly.js is not installed (cd environment && npm install)";
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
            $"#r \"{Path.Combine(bin, "SasNet.Geometry.dll")}\"\n#r \"{Path.Combine(bin, "SasNet.Plots.dll")}\"\n#r \"{Path.Combine(bin, "SasNet.Notebooks.Tests.dll")}\"\n" +
            "using SasNet.Plots.Builders;\nvar (image, label, prediction) = SasNet.Notebooks.Tests.Phantom.Case(48, 48, 32);");
        notebook.AddCode("display(SliceViewer.Create(image, label, prediction, axis: 2));");
        notebook.AddCode("var surfaces = SurfaceComparison.Create(label, prediction);\nsurfaces.SaveHtml(SasNet.Plots.Rendering.FigureOutput.PathFor(\"surfaces.html\"));\nsurfaces");
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

    [ChromiumFact]
    public void Slice_viewer_slider_steps_restyle_with_typed_arrays()
    {
        using var folder = new TempFolder();
        var (image, label, prediction) = Phantom.Case(40, 36, 24);
        var figure = SliceViewer.Create(image, label, prediction, axis: 2);
        // Do what the slider does for its first step (an empty slice for the masks) and report the decoded sizes.
        const string check = """
            <script>
            window.addEventListener('load', function () {
              Promise.all(window.sasnetPlots).then(function () {
                var plot = document.querySelector('.sasnet-plot');
                var step = plot.layout.sliders[0].steps[0];
                return Plotly.restyle(plot, step.args[0], step.args[1]).then(function () {
                  var sizes = plot._fullData.map(function (t) { return t.z.length + 'x' + t.z[0].length; });
                  document.body.setAttribute('data-restyled', sizes.join(','));
                });
              }).catch(function (e) { document.body.setAttribute('data-restyled', 'error ' + e); });
            });
            </script>
            """;
        var page = folder.File("slices.html");
        File.WriteAllText(page, FigurePage.Build([figure.ToHtml(), check], "slices"));
        var dom = HeadlessChromium.DumpDom(page);
        Assert.Contains("data-sasnet-status=\"rendered\"", dom);
        // Image 36 rows × 40 columns; both masks are empty in slice 0: a single 1×1 cell.
        Assert.Contains("data-restyled=\"36x40,1x1,1x1\"", dom);
    }

    [ChromiumFact]
    public void Png_export_of_a_surface_figure_is_not_blank()
    {
        using var folder = new TempFolder();
        var (_, label, prediction) = Phantom.Case(40, 40, 28);
        var png = folder.File("surfaces.png");
        SurfaceComparison.Create(label, prediction).SavePng(png, 640, 480);
        var (width, height, pixels) = PngReader.Read(png);
        Assert.Equal((640, 480), (width, height));
        var distinct = pixels.Distinct().Count();
        output.WriteLine($"PNG {new FileInfo(png).Length:N0} bytes, {distinct} distinct colours");
        Assert.True(distinct > 50, $"only {distinct} distinct colours: the plot did not draw");
        // The meshes are red and green: some pixels must be clearly coloured, not grey.
        Assert.Contains(pixels, p => Math.Abs(((p >> 16) & 255) - ((p >> 8) & 255)) > 60);
    }
}

/// <summary>A minimal PNG decoder (8-bit RGB/RGBA, non-interlaced) for checking screenshots.</summary>
public static class PngReader
{
    public static (int Width, int Height, int[] Rgb) Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }), "not a PNG");
        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        for (int offset = 8; offset < bytes.Length;)
        {
            int length = ReadInt(bytes, offset);
            var type = System.Text.Encoding.ASCII.GetString(bytes, offset + 4, 4);
            if (type == "IHDR")
            {
                width = ReadInt(bytes, offset + 8);
                height = ReadInt(bytes, offset + 12);
                Assert.Equal(8, bytes[offset + 16]); // bit depth
                channels = bytes[offset + 17] switch { 2 => 3, 6 => 4, var other => throw new NotSupportedException($"PNG colour type {other}") };
                Assert.Equal(0, bytes[offset + 20]); // no interlace
            }
            else if (type == "IDAT") idat.Write(bytes, offset + 8, length);
            else if (type == "IEND") break;
            offset += 12 + length;
        }
        idat.Position = 0;
        using var inflater = new ZLibStream(idat, CompressionMode.Decompress);
        int stride = width * channels;
        var raw = new byte[height * (stride + 1)];
        inflater.ReadExactly(raw);
        var previous = new byte[stride];
        var current = new byte[stride];
        var rgb = new int[width * height];
        for (int y = 0; y < height; y++)
        {
            int filter = raw[y * (stride + 1)];
            for (int i = 0; i < stride; i++)
            {
                int x = raw[y * (stride + 1) + 1 + i];
                int a = i >= channels ? current[i - channels] : 0, b = previous[i], c = i >= channels ? previous[i - channels] : 0;
                current[i] = (byte)(filter switch
                {
                    0 => x,
                    1 => x + a,
                    2 => x + b,
                    3 => x + (a + b) / 2,
                    4 => x + Paeth(a, b, c),
                    _ => throw new NotSupportedException($"PNG filter {filter}"),
                });
            }
            for (int px = 0; px < width; px++)
                rgb[y * width + px] = current[px * channels] << 16 | current[px * channels + 1] << 8 | current[px * channels + 2];
            (previous, current) = (current, previous);
        }
        return (width, height, rgb);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static int ReadInt(byte[] bytes, int offset) =>
        bytes[offset] << 24 | bytes[offset + 1] << 16 | bytes[offset + 2] << 8 | bytes[offset + 3];
}
