using System.Diagnostics;

namespace SasNet.Plots.Rendering;

/// <summary>Chromium (or Chrome) is needed for PNG export and was not found.</summary>
public sealed class ChromiumNotFoundException(string message) : Exception(message);

/// <summary>
/// Drives a headless Chromium for static PNGs of figures and for rendering checks. Each call starts a fresh
/// browser with a throw-away profile; virtual time lets plotly finish drawing before the page is captured.
/// </summary>
public static class HeadlessChromium
{
    /// <summary>Environment variable that can name the browser executable.</summary>
    public const string PathVariable = "SASNET_CHROMIUM";

    private static readonly string[] Candidates =
        ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"];

    /// <summary>Virtual milliseconds the page gets to load and draw before it is captured.</summary>
    public const int DefaultVirtualTimeBudgetMs = 15000;

    /// <summary>The browser executable, or null when none is installed.</summary>
    public static string? Locate()
    {
        var fromVariable = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrEmpty(fromVariable) && File.Exists(fromVariable)) return fromVariable;
        var searchPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in Candidates)
        {
            foreach (var folder in searchPath.Append("/usr/bin").Append("/snap/bin"))
            {
                var candidate = Path.Combine(folder, name);
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }

    /// <summary>Screenshots <paramref name="htmlPath"/> at the given viewport into <paramref name="pngPath"/>.</summary>
    /// <exception cref="ChromiumNotFoundException">No browser installed.</exception>
    /// <exception cref="InvalidOperationException">The browser failed or wrote no image.</exception>
    public static void Screenshot(string htmlPath, string pngPath, int width, int height, int virtualTimeBudgetMs = DefaultVirtualTimeBudgetMs)
    {
        var target = Path.GetFullPath(pngPath);
        var folder = Path.GetDirectoryName(target);
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        File.Delete(target);
        Run(htmlPath, [$"--screenshot={target}", $"--window-size={width},{height}", "--hide-scrollbars"], virtualTimeBudgetMs);
        if (!File.Exists(target) || new FileInfo(target).Length == 0)
            throw new InvalidOperationException($"Chromium wrote no screenshot to {target}");
    }

    /// <summary>The DOM of <paramref name="htmlPath"/> after it has loaded and run its scripts.</summary>
    public static string DumpDom(string htmlPath, int virtualTimeBudgetMs = DefaultVirtualTimeBudgetMs) =>
        Run(htmlPath, ["--dump-dom", "--window-size=1200,900"], virtualTimeBudgetMs);

    private static string Run(string htmlPath, IEnumerable<string> modeArguments, int virtualTimeBudgetMs)
    {
        var browser = Locate() ?? throw new ChromiumNotFoundException(
            "Chromium is needed to render figures to PNG but was not found (looked for chromium, google-chrome on PATH and $" + PathVariable + "). " +
            "Install it with 'sudo apt-get install chromium' or 'bash environment/setup.sh --test-tools'.");
        var profile = Directory.CreateTempSubdirectory("sasnet-chromium-");
        try
        {
            var start = new ProcessStartInfo(browser)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[]
                     {
                         "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--disable-extensions", "--disable-dev-shm-usage", "--mute-audio",
                         // Software WebGL, so that 3D meshes draw without a GPU.
                         "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
                         $"--user-data-dir={profile.FullName}",
                         $"--virtual-time-budget={virtualTimeBudgetMs}",
                     }.Concat(modeArguments))
            {
                start.ArgumentList.Add(argument);
            }
            start.ArgumentList.Add(new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri);
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {browser}");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"{browser} did not finish within 120 s rendering {htmlPath}");
            }
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"{browser} exited with {process.ExitCode}: {Tail(stderr.Result)}");
            return stdout.Result;
        }
        finally
        {
            try { profile.Delete(recursive: true); }
            catch (IOException) { /* a crashed browser may hold files briefly; the temp folder is cleaned later */ }
        }
    }

    private static string Tail(string text) => text.Length <= 2000 ? text : text[^2000..];
}
