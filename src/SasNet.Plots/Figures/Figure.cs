using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using SasNet.Plots.Rendering;

namespace SasNet.Plots.Figures;

/// <summary>
/// A plotly figure: traces, layout and config, written as plotly JSON. Displaying it in a notebook shows the
/// interactive plot (<see cref="ToHtml"/>); <see cref="SaveHtml"/> and <see cref="SavePng"/> write files.
/// </summary>
public sealed class Figure
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Relaxed escaping keeps base64 ('+') compact; ToJson makes the text safe inside <script> itself.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The traces, drawn in order.</summary>
    [JsonIgnore] public List<Trace> Data { get; } = [];

    /// <summary>The layout.</summary>
    [JsonPropertyName("layout")] public Layout Layout { get; set; } = new();

    /// <summary>Interaction settings.</summary>
    [JsonPropertyName("config")] public PlotConfig Config { get; set; } = new();

    // Serialised through object so that each trace writes its own type's properties.
    [JsonInclude, JsonPropertyName("data"), JsonPropertyOrder(-1)]
    private IEnumerable<object> DataForJson => Data;

    /// <summary>Height used for the container div when the layout sets none.</summary>
    public const int DefaultHeight = 520;

    /// <summary>Adds a trace and returns this figure.</summary>
    public Figure Add(Trace trace)
    {
        Data.Add(trace);
        return this;
    }

    /// <summary>The figure as plotly JSON (<c>{"data": [...], "layout": {...}, "config": {...}}</c>), safe to embed in a script element.</summary>
    public string ToJson()
    {
        var json = JsonSerializer.Serialize(this, JsonOptions);
        // "</script>" or "<!--" inside a string would end or confuse the surrounding script element.
        return json.Replace("</", "<\\/", StringComparison.Ordinal).Replace("<!--", "<\\!--", StringComparison.Ordinal);
    }

    /// <summary>
    /// A div and a script that draw the figure, for notebook outputs and HTML pages. The script uses
    /// <c>window.Plotly</c> when the page already has it (exported notebooks inline it), otherwise loads the pinned
    /// plotly.js from the CDN through require.js when present (Jupyter) or a script element (VS Code).
    /// </summary>
    public string ToHtml()
    {
        var id = "sasnet-plot-" + Guid.NewGuid().ToString("N")[..12];
        var height = Layout.Height ?? DefaultHeight;
        var width = Layout.Width is int w ? $"{w}px" : "100%";
        var html = new StringBuilder();
        html.Append($"<div id=\"{id}\" class=\"sasnet-plot\" style=\"width:{width};height:{height}px;\"></div>\n");
        html.Append("<script type=\"text/javascript\">\n(function () {\n");
        html.Append("  var figure = ").Append(ToJson()).Append(";\n");
        html.Append($"  var elementId = '{id}';\n");
        html.Append(Loader);
        html.Append("})();\n</script>\n");
        return html.ToString();
    }

    /// <summary>Writes a standalone HTML page with plotly.js inlined (works offline).</summary>
    /// <param name="path">The .html file to write.</param>
    /// <param name="plotlyScriptPath">plotly.min.js to inline; null: found with <see cref="PlotlyJs.Locate"/>.</param>
    public void SaveHtml(string path, string? plotlyScriptPath = null) =>
        FigurePage.Write(path, [this], Layout.Title?.Text ?? Path.GetFileNameWithoutExtension(path), plotlyScriptPath);

    /// <summary>
    /// Writes a PNG of the figure rendered by headless Chromium at <paramref name="width"/>×<paramref name="height"/> pixels.
    /// </summary>
    /// <exception cref="ChromiumNotFoundException">No Chromium or Chrome is installed.</exception>
    public void SavePng(string path, int width = 1000, int height = 700, string? plotlyScriptPath = null)
    {
        var sized = Clone();
        sized.Layout.Width = width;
        sized.Layout.Height = height;
        sized.Config.Responsive = false;
        // A still image has nothing to click: without this the mode bar's icons can end up in the picture.
        sized.Config.DisplayModeBar = false;
        var page = Path.Combine(Path.GetTempPath(), $"sasnet-figure-{Guid.NewGuid():N}.html");
        try
        {
            FigurePage.Write(page, [sized], "figure", plotlyScriptPath, bodyMargin: false);
            HeadlessChromium.Screenshot(page, path, width, height);
        }
        finally
        {
            File.Delete(page);
        }
    }

    /// <summary>A copy that shares trace objects but has its own layout and config (for resizing).</summary>
    public Figure Clone()
    {
        var copy = new Figure
        {
            Layout = JsonSerializer.Deserialize<Layout>(JsonSerializer.Serialize(Layout, JsonOptions))!,
            Config = JsonSerializer.Deserialize<PlotConfig>(JsonSerializer.Serialize(Config, JsonOptions))!,
        };
        // Extension data round-trips as JsonElement, which serialises back unchanged.
        copy.Data.AddRange(Data);
        return copy;
    }

    private static readonly string Loader = LoaderScript
        .Replace("@CDN_MODULE@", PlotlyJs.CdnModulePath, StringComparison.Ordinal)
        .Replace("@CDN_URL@", PlotlyJs.CdnUrl, StringComparison.Ordinal);

    // Kept in one place: how a figure finds plotly in any host page.
    private const string LoaderScript = """
          function draw(Plotly) {
            var drawn = Plotly.newPlot(document.getElementById(elementId), figure.data, figure.layout, figure.config);
            (window.sasnetPlots = window.sasnetPlots || []).push(drawn);
            return drawn;
          }
          if (window.Plotly) { draw(window.Plotly); return; }
          if (typeof window.requirejs === 'function' && typeof window.define === 'function' && window.define.amd) {
            window.requirejs.config({ paths: { plotly: '@CDN_MODULE@' } });
            window.requirejs(['plotly'], function (Plotly) { draw(Plotly); });
            return;
          }
          if (!window.sasnetPlotlyLoading) {
            window.sasnetPlotlyLoading = new Promise(function (resolve, reject) {
              var script = document.createElement('script');
              script.src = '@CDN_URL@';
              script.onload = resolve;
              script.onerror = function () { reject(new Error('could not load plotly.js from the CDN')); };
              document.head.appendChild(script);
            });
          }
          window.sasnetPlotlyLoading.then(function () { draw(window.Plotly); }, function (error) {
            document.getElementById(elementId).textContent = String(error);
          });

        """;
}
