using System.Text;

namespace SasNet.Pages;

/// <summary>
/// The pieces of an offline HTML page that shows Plotly.NET charts: Plotly.NET's own copy of plotly.js, inlined once;
/// a stand-in for require.js, because the charts that Plotly.NET.Interactive formats for notebooks ask require.js to fetch
/// plotly.js from a CDN; and a render-status mark that headless screenshots and browser tests wait for.
/// </summary>
/// <remarks>Compiled into both the figure library and the notebook runner (which must not load the kit's assemblies).</remarks>
internal static class PlotlyPage
{
    private static readonly Lazy<(string Version, string Script)> Bundled = new(ReadBundledScript);

    /// <summary>Version of the plotly.js that Plotly.NET carries, e.g. "2.28.0".</summary>
    public static string PlotlyJsVersion => Bundled.Value.Version;

    /// <summary>The minified plotly.js that Plotly.NET carries.</summary>
    public static string PlotlyJs => Bundled.Value.Script;

    /// <summary>
    /// Scripts for the page head: an error recorder (<c>window.sasnetPageErrors</c>), plotly.js, a hook that collects
    /// every <c>Plotly.newPlot</c> promise in <c>window.sasnetPlots</c>, and the require.js stand-in.
    /// </summary>
    public static string HeadScripts()
    {
        var head = new StringBuilder();
        head.Append("""
            <script type="text/javascript">
            window.sasnetPageErrors = [];
            window.addEventListener('error', function (event) { window.sasnetPageErrors.push(String(event.message || event)); });
            window.addEventListener('unhandledrejection', function (event) { window.sasnetPageErrors.push('unhandled rejection: ' + String(event.reason)); });
            </script>

            """);
        // "</script" inside the library would end the element early.
        head.Append("<script type=\"text/javascript\">\n")
            .Append(PlotlyJs.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase))
            .Append("\n</script>\n");
        head.Append("""
            <script type="text/javascript">
            (function () {
              var newPlot = window.Plotly.newPlot;
              window.sasnetPlots = [];
              window.Plotly.newPlot = function () {
                var drawn = newPlot.apply(window.Plotly, arguments);
                window.sasnetPlots.push(drawn);
                return drawn;
              };
              if (typeof window.requirejs !== 'function') {
                window.requirejs = function (modules, ready) { ready(window.Plotly); };
                window.requirejs.config = function () { return window.requirejs; };
              }
            })();
            </script>

            """);
        return head.ToString();
    }

    /// <summary>
    /// End-of-body script: once every chart's plotly promise has settled it sets <c>data-sasnet-plots</c> (count) and
    /// <c>data-sasnet-status</c> ("rendered", "errors: ..." or "failed: ...") on the body element.
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
            // One more frame, so that WebGL scenes have painted before a screenshot is taken.
            requestAnimationFrame(function () {
              var errors = window.sasnetPageErrors || [];
              mark(errors.length ? 'errors: ' + errors.join(' | ') : 'rendered');
            });
          }, function (error) { mark('failed: ' + String(error)); });
        });
        </script>
        """;

    private static (string Version, string Script) ReadBundledScript()
    {
        var assembly = typeof(Plotly.NET.GenericChart).Assembly;
        const string prefix = "Plotly.NET.plotly-", suffix = ".min.js";
        var name = assembly.GetManifestResourceNames()
            .FirstOrDefault(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(suffix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{assembly.Location} carries no plotly.js resource ({prefix}*{suffix})");
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return (name[prefix.Length..^suffix.Length], reader.ReadToEnd());
    }
}
