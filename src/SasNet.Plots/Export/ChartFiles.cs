using System.Globalization;
using System.Net;
using System.Text;
using Plotly.NET;
using SasNet.Pages;
using SasNet.Plots.Rendering;

namespace SasNet.Plots.Export;

/// <summary>
/// Writes Plotly.NET charts to files: a standalone HTML page that works offline (plotly.js from Plotly.NET.dll
/// inlined once) and a PNG rendered by headless Chromium. Its pages carry the same scripts as exported notebooks
/// (<see cref="PlotlyPage"/>).
/// </summary>
public static class ChartFiles
{
    /// <summary>Height of the chart's element when the chart's layout sets none (plotly would use 450).</summary>
    public const int DefaultHeight = 520;

    /// <summary>
    /// Writes <paramref name="chart"/> as a standalone page: plotly.js inlined, the chart at full width and the
    /// height its layout asks for. The page needs no network.
    /// </summary>
    public static void SaveHtml(GenericChart chart, string path)
    {
        ArgumentNullException.ThrowIfNull(chart);
        ArgumentException.ThrowIfNullOrEmpty(path);
        WriteText(path, ToHtmlPage(chart, TitleOf(chart) ?? Path.GetFileNameWithoutExtension(path)));
    }

    /// <summary>
    /// Writes a PNG of <paramref name="chart"/> drawn by headless Chromium at exactly
    /// <paramref name="width"/>×<paramref name="height"/> pixels: the layout is sized to the picture and the mode
    /// bar is left out. The chart itself is not changed.
    /// </summary>
    /// <exception cref="ChromiumNotFoundException">No Chromium or Chrome is installed.</exception>
    /// <exception cref="InvalidOperationException">The browser failed or wrote no image.</exception>
    public static void SavePng(GenericChart chart, string path, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(chart);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        var page = Path.Combine(Path.GetTempPath(), $"sasnet-chart-{Guid.NewGuid():N}.html");
        try
        {
            WriteText(page, ToHtmlPage(chart, "chart", (width, height)));
            HeadlessChromium.Screenshot(page, path, width, height);
        }
        finally
        {
            File.Delete(page);
        }
    }

    /// <summary>
    /// The standalone page for <paramref name="chart"/>. With <paramref name="pictureSize"/> the page is a bare
    /// picture of that size (no margins, no mode bar, no resizing with the window), as <see cref="SavePng"/> uses it.
    /// </summary>
    public static string ToHtmlPage(GenericChart chart, string title, (int Width, int Height)? pictureSize = null)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        page.Append($"<title>{WebUtility.HtmlEncode(title)}</title>\n");
        page.Append(pictureSize is null
            ? "<style>body { margin: 16px; font-family: system-ui, sans-serif; background: #fff; }</style>\n"
            : "<style>html, body { margin: 0; padding: 0; overflow: hidden; background: #fff; }</style>\n");
        page.Append(PlotlyPage.HeadScripts());
        page.Append("</head>\n<body>\n");
        page.Append(PlotElement(chart, pictureSize));
        page.Append(PlotlyPage.RenderStatusScript).Append("\n</body>\n</html>\n");
        return page.ToString();
    }

    private static string PlotElement(GenericChart chart, (int Width, int Height)? pictureSize)
    {
        var id = "sasnet-chart-" + Guid.NewGuid().ToString("N")[..12];
        var layout = GenericChart.getLayout(chart);
        string width, height;
        if (pictureSize is var (pictureWidth, pictureHeight))
        {
            width = Pixels(pictureWidth);
            height = Pixels(pictureHeight);
        }
        else
        {
            width = OptionalInt(layout, "width") is int w ? Pixels(w) : "100%";
            height = Pixels(OptionalInt(layout, "height") ?? DefaultHeight);
        }
        var element = new StringBuilder();
        element.Append($"<div id=\"{id}\" class=\"sasnet-chart\" style=\"width:{width};height:{height};\"></div>\n");
        element.Append("<script type=\"text/javascript\">\n(function () {\n");
        element.Append("  var figure = ").Append(ScriptSafe(GenericChart.toJson(chart))).Append(";\n");
        if (pictureSize is var (w2, h2))
        {
            element.Append(CultureInfo.InvariantCulture, $"  Object.assign(figure.layout, {{ width: {w2}, height: {h2}, autosize: false }});\n");
            // A still picture has nothing to click: without this the mode bar's icons can end up in it.
            element.Append("  Object.assign(figure.config, { displayModeBar: false, responsive: false });\n");
        }
        element.Append($"  Plotly.newPlot(document.getElementById('{id}'), figure.data, figure.layout, figure.config);\n");
        element.Append("})();\n</script>\n");
        return element.ToString();
    }

    private static string Pixels(int value) => value.ToString(CultureInfo.InvariantCulture) + "px";

    private static int? OptionalInt(DynamicObj.DynamicObj owner, string property) =>
        owner.TryGetPropertyValue(property) is { } value && value.Value is IConvertible number
            ? Convert.ToInt32(number, CultureInfo.InvariantCulture)
            : null;

    private static string? TitleOf(GenericChart chart) =>
        GenericChart.getLayout(chart).TryGetPropertyValue("title") is { } title && title.Value is Title text
        && text.TryGetPropertyValue("text") is { } value && value.Value is string s && s.Length > 0
            ? s
            : null;

    // "</script>" or "<!--" inside a JSON string would end or confuse the surrounding script element;
    // Newtonsoft does not escape '<', so it is done here ("<\/" is the same string to JavaScript).
    private static string ScriptSafe(string json) =>
        json.Replace("</", "<\\/", StringComparison.Ordinal).Replace("<!--", "<\\!--", StringComparison.Ordinal);

    private static void WriteText(string path, string text)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        File.WriteAllText(path, text, new UTF8Encoding(false));
    }
}
