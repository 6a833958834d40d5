namespace SasNet.Plots.Rendering;

/// <summary>
/// Where plotly.js comes from: the pinned CDN build for notebook outputs, and the local npm copy
/// (environment/node_modules, installed by environment/setup.sh) for pages that must work offline.
/// </summary>
public static class PlotlyJs
{
    /// <summary>The plotly.js version the kit is written against (pinned in environment/package.json).</summary>
    public const string Version = "2.35.2";

    /// <summary>The CDN URL of the same build, used by notebook outputs (require.js path without ".js").</summary>
    public const string CdnModulePath = "https://cdn.plot.ly/plotly-" + Version + ".min";

    /// <summary>The CDN URL of the script.</summary>
    public const string CdnUrl = CdnModulePath + ".js";

    /// <summary>Environment variable that can point at a plotly.min.js to use instead of searching.</summary>
    public const string PathVariable = "SASNET_PLOTLY_JS";

    /// <summary>Path of the script relative to the repository root.</summary>
    public static readonly string RelativePath = Path.Combine("environment", "node_modules", "plotly.js-dist-min", "plotly.min.js");

    private static readonly Lock CacheGate = new();
    private static readonly Dictionary<string, string> ScriptCache = new(StringComparer.Ordinal);

    /// <summary>
    /// Finds plotly.min.js: <see cref="PathVariable"/> if set, else the first
    /// <c>environment/node_modules/plotly.js-dist-min/plotly.min.js</c> found walking up from each start folder
    /// (then from the current directory and this assembly's folder). Null when none exists.
    /// </summary>
    public static string? Locate(params string?[] startFolders)
    {
        var fromVariable = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrEmpty(fromVariable) && File.Exists(fromVariable)) return Path.GetFullPath(fromVariable);
        var starts = startFolders.Append(Environment.CurrentDirectory).Append(AppContext.BaseDirectory)
            .Append(Path.GetDirectoryName(typeof(PlotlyJs).Assembly.Location));
        foreach (var start in starts)
        {
            if (string.IsNullOrEmpty(start)) continue;
            for (var folder = new DirectoryInfo(Path.GetFullPath(start)); folder is not null; folder = folder.Parent)
            {
                var candidate = Path.Combine(folder.FullName, RelativePath);
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }

    /// <summary>The script text of <paramref name="path"/> (or of <see cref="Locate"/>), cached per path.</summary>
    /// <exception cref="FileNotFoundException">No plotly.min.js could be found.</exception>
    public static string ReadScript(string? path = null)
    {
        path ??= Locate() ?? throw new FileNotFoundException(
            $"plotly.min.js was not found (looked for {RelativePath} above the current folder and the kit, and ${PathVariable}). " +
            "Install it with 'bash environment/setup.sh' or 'cd environment && npm install'.");
        lock (CacheGate)
        {
            if (!ScriptCache.TryGetValue(path, out var script))
            {
                script = File.ReadAllText(path);
                ScriptCache[path] = script;
            }
            return script;
        }
    }

    /// <summary>A script element that inlines <paramref name="script"/>, made safe against an early &lt;/script&gt;.</summary>
    public static string InlineScriptElement(string script) =>
        "<script type=\"text/javascript\">" + script.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase) + "</script>";
}
