using System.Text.RegularExpressions;
using Plotly.NET;

namespace SasNet.Plots.Rendering;

/// <summary>
/// The plotly.js that draws the kit's charts: the copy Plotly.NET ships inside Plotly.NET.dll (a manifest resource
/// named <c>Plotly.NET.plotly-&lt;version&gt;.min.js</c>). Pages that must work offline inline it once.
/// </summary>
public static partial class PlotlyJs
{
    private static readonly Lazy<(string Name, string Version)> Resource = new(FindResource);
    private static readonly Lazy<string> ScriptText = new(ReadResource);

    /// <summary>The plotly.js version embedded in Plotly.NET (e.g. "2.28.0").</summary>
    public static string Version => Resource.Value.Version;

    /// <summary>Name of the manifest resource in Plotly.NET.dll that holds the script.</summary>
    public static string ResourceName => Resource.Value.Name;

    /// <summary>The URL of the same build on the plotly CDN, for pages that may load it from the network.</summary>
    public static string CdnUrl => $"https://cdn.plot.ly/plotly-{Version}.min.js";

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

    private static (string Name, string Version) FindResource()
    {
        var assembly = typeof(GenericChart).Assembly;
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
        using var stream = typeof(GenericChart).Assembly.GetManifestResourceStream(ResourceName)
                           ?? throw new InvalidOperationException($"resource {ResourceName} could not be opened");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"plotly-(?<version>\d+\.\d+\.\d+)\.min\.js$")]
    private static partial Regex ResourcePattern();
}
