using System.Text;
using System.Text.RegularExpressions;

namespace SasNet.Pages;

/// <summary>
/// The pieces of an offline HTML page that shows Plotly.NET charts: the plotly.js that Plotly.NET ships inside
/// Plotly.NET.dll (a manifest resource <c>Plotly.NET.plotly-&lt;version&gt;.min.js</c>), inlined once; a recorder of
/// every <c>Plotly.newPlot</c> promise; a stand-in for require.js, because the chart outputs of Plotly.NET.Interactive
/// ask require.js to fetch plotly.js from a CDN; and a render-status mark that screenshots and browser tests wait for.
/// </summary>
/// <remarks>
/// Compiled into both the figure library and the notebook runner: the runner must not load the kit's assemblies, since
/// notebooks take them from the kit's package.
/// </remarks>
internal static partial class PlotlyPage
{
    private static readonly Lazy<(string Name, string Version)> Resource = new(FindResource);
    private static readonly Lazy<string> ScriptText = new(ReadResource);

    /// <summary>The plotly.js version embedded in Plotly.NET (e.g. "2.28.0").</summary>
    public static string Version => Resource.Value.Version;

    /// <summary>Name of the manifest resource in Plotly.NET.dll that holds the script.</summary>
    public static string ResourceName => Resource.Value.Name;

    /// <summary>The minified plotly.js source (about 3.5 MB), read once from Plotly.NET.dll.</summary>
    public static string Script => ScriptText.Value;

    /// <summary>A <c>&lt;script&gt;</c> element with <see cref="Script"/> inlined.</summary>
    public static string ScriptElement => InlineScriptElement(Script);

    /// <summary>A script element that inlines <paramref name="script"/>, made safe against an early <c>&lt;/script&gt;</c>.</summary>
    public static string InlineScriptElement(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        return "<script type=\"text/javascript\" charset=\"utf-8\">" +
               script.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase) + "</script>";
    }

    /// <summary>Head script, first in the head: records page errors in <c>window.sasnetPageErrors</c>.</summary>
    public const string ErrorRecorderScript = """
        <script type="text/javascript">
        window.sasnetPageErrors = [];
        window.addEventListener('error', function (event) { window.sasnetPageErrors.push(String(event.message || event)); });
        window.addEventListener('unhandledrejection', function (event) { window.sasnetPageErrors.push('unhandled rejection: ' + String(event.reason)); });
        </script>
        """;

    /// <summary>
    /// Head script, right after plotly.js: every <c>Plotly.newPlot</c> call from then on (Plotly.NET's chart scripts
    /// included) adds its promise to <c>window.sasnetPlots</c>, which <see cref="RenderStatusScript"/> waits for.
    /// </summary>
    public const string PlotRecorderScript = """
        <script type="text/javascript">
        (function () {
          window.sasnetPlots = window.sasnetPlots || [];
          if (!window.Plotly || window.Plotly.sasnetRecorded) return;
          var newPlot = window.Plotly.newPlot;
          window.Plotly.newPlot = function () {
            var drawn = newPlot.apply(this, arguments);
            window.sasnetPlots.push(drawn);
            return drawn;
          };
          window.Plotly.sasnetRecorded = true;
        })();
        </script>
        """;

    /// <summary>
    /// Head script: a stand-in for require.js that hands the inlined plotly.js to charts written by
    /// Plotly.NET.Interactive's formatter (they call <c>requirejs.config(...)(['plotly'], draw)</c>), so they draw offline.
    /// </summary>
    public const string RequireStandInScript = """
        <script type="text/javascript">
        if (typeof window.requirejs !== 'function') {
          window.requirejs = function (modules, ready) { ready(window.Plotly); };
          window.requirejs.config = function () { return window.requirejs; };
        }
        </script>
        """;

    /// <summary>
    /// End-of-body script: once every recorded plot has settled it sets <c>data-sasnet-plots</c> (their count) and
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
            // A task later, so that errors thrown while the plots settled are counted. (Not an animation frame:
            // headless Chromium under a virtual time budget does not always run those.)
            setTimeout(function () {
              var errors = window.sasnetPageErrors || [];
              mark(errors.length ? 'errors: ' + errors.join(' | ') : 'rendered');
            }, 0);
          }, function (error) { mark('failed: ' + String(error)); });
        });
        </script>
        """;

    /// <summary>Everything a page's head needs, in order: error recorder, plotly.js, plot recorder, require.js stand-in.</summary>
    public static string HeadScripts() =>
        new StringBuilder()
            .Append(ErrorRecorderScript).Append('\n')
            .Append(ScriptElement).Append('\n')
            .Append(PlotRecorderScript).Append('\n')
            .Append(RequireStandInScript).Append('\n')
            .ToString();

    private static (string Name, string Version) FindResource()
    {
        var assembly = typeof(Plotly.NET.GenericChart).Assembly;
        foreach (var name in assembly.GetManifestResourceNames())
        {
            var match = ResourcePattern().Match(name);
            if (match.Success) return (name, match.Groups["version"].Value);
        }
        throw new InvalidOperationException(
            $"{assembly.GetName().Name} {assembly.GetName().Version} holds no plotly-<version>.min.js resource; the kit expects Plotly.NET 6.0.0");
    }

    private static string ReadResource()
    {
        using var stream = typeof(Plotly.NET.GenericChart).Assembly.GetManifestResourceStream(ResourceName)
                           ?? throw new InvalidOperationException($"resource {ResourceName} could not be opened");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"plotly-(?<version>\d+\.\d+\.\d+)\.min\.js$")]
    private static partial Regex ResourcePattern();
}
