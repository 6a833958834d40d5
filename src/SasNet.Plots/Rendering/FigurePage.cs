using System.Net;
using System.Text;
using SasNet.Plots.Figures;

namespace SasNet.Plots.Rendering;

/// <summary>Standalone HTML pages holding figures, with plotly.js inlined once.</summary>
public static class FigurePage
{
    /// <summary>Head script that records page errors in <c>window.sasnetPageErrors</c>.</summary>
    public const string ErrorRecorderScript = """
        <script type="text/javascript">
        window.sasnetPageErrors = [];
        window.addEventListener('error', function (event) { window.sasnetPageErrors.push(String(event.message || event)); });
        window.addEventListener('unhandledrejection', function (event) { window.sasnetPageErrors.push('unhandled rejection: ' + String(event.reason)); });
        </script>
        """;

    /// <summary>
    /// End-of-body script: once every figure's plotly promise has settled it sets <c>data-sasnet-plots</c> (count)
    /// and <c>data-sasnet-status</c> ("rendered", "errors: ..." or "failed: ...") on the body element.
    /// </summary>
    public const string RenderStatusScript = """
        <script type="text/javascript">
        window.addEventListener('load', function () {
          var plots = window.sasnetPlots || [];
          function mark(status) {
            document.body.setAttribute('data-sasnet-plots', String(plots.length));
            document.body.setAttribute('data-sasnet-status', status);
          }
          Promise.all(plots).then(function () {
            // One more frame so that WebGL scenes have painted before screenshots are taken.
            requestAnimationFrame(function () {
              var errors = window.sasnetPageErrors || [];
              mark(errors.length ? 'errors: ' + errors.join(' | ') : 'rendered');
            });
          }, function (error) { mark('failed: ' + String(error)); });
        });
        </script>
        """;

    /// <summary>Writes a page showing <paramref name="figures"/> one below the other.</summary>
    public static void Write(string path, IEnumerable<Figure> figures, string title, string? plotlyScriptPath = null, bool bodyMargin = true)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        File.WriteAllText(path, Build(figures.Select(f => f.ToHtml()), title, plotlyScriptPath, bodyMargin), new UTF8Encoding(false));
    }

    /// <summary>A page around HTML fragments (figure outputs or anything else with figures inside).</summary>
    public static string Build(IEnumerable<string> fragments, string title, string? plotlyScriptPath = null, bool bodyMargin = true)
    {
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        page.Append($"<title>{WebUtility.HtmlEncode(title)}</title>\n");
        page.Append(bodyMargin
            ? "<style>body { margin: 16px; font-family: system-ui, sans-serif; background: #fff; }</style>\n"
            : "<style>html, body { margin: 0; padding: 0; overflow: hidden; background: #fff; }</style>\n");
        page.Append(ErrorRecorderScript).Append('\n');
        page.Append(PlotlyJs.InlineScriptElement(PlotlyJs.ReadScript(plotlyScriptPath ?? PlotlyJs.Locate()))).Append('\n');
        page.Append("</head>\n<body>\n");
        foreach (var fragment in fragments) page.Append(fragment).Append('\n');
        page.Append(RenderStatusScript).Append("\n</body>\n</html>\n");
        return page.ToString();
    }
}
