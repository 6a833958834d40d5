using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SasNet.Notebooks.Running;
using SasNet.Plots.Rendering;
using Xunit.Abstractions;

namespace SasNet.Notebooks.Tests;

/// <summary>The kit's notebooks, what each must leave in its output folder, and where the set-up put the runner.</summary>
public static class NotebookSuite
{
    /// <summary>Notebook name → figures it saves (each as .html and .png).</summary>
    public static IReadOnlyDictionary<string, string[]> ExpectedFigures { get; } = new SortedDictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["00-quick-start"] = ["00-training-case-slices", "00-training-curves", "00-surfaces", "00-prediction-slices"],
        ["01-branches"] = ["01-branches-dice", "01-branches-validation"],
        ["02-sar"] = ["02-sar-dice", "02-sar-validation"],
        ["03-sdm"] = ["03-sdm-pipeline", "03-sdm-dice", "03-sdm-regression-head"],
        ["04-view-variance"] = ["04-fourier-rotate", "04-view-variance-dice"],
        ["05-decoder-depth"] = ["05-decoder-depth-dice", "05-decoder-depth-validation"],
        ["06-hyperparameters"] = ["06-gamma-schedules", "06-hyperparameters-dice"],
        ["07-complexity"] = ["07-parameters", "07-macs"],
        ["08-baselines"] = ["08-baselines-dice", "08-baselines-validation"],
        ["09-interpretability"] = ["09-feature-maps"],
        ["10-qualitative"] = ["10-slices", "10-surfaces-vnetlabeledonly", "10-surfaces-sassnet", "10-surfaces-sasnet"],
    };

    /// <summary>The source checkout (the folder with SasNet.slnx above the test binaries), or null.</summary>
    public static string? RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>notebooks/ of the checkout.</summary>
    public static string NotebooksFolder => Path.Combine(RepositoryRoot ?? ".", "notebooks");

    /// <summary>The published notebook runner, the one <c>sasnet notebooks run</c> and the main job start.</summary>
    public static string Runner => Path.Combine(RepositoryRoot ?? ".", "artifacts", "kit", "notebook-runner", "sasnet-notebooks");

    /// <summary>The kit's local NuGet feed that notebooks restore <c>SasNet.Kit</c> from.</summary>
    public static string Feed => Path.Combine(RepositoryRoot ?? ".", "artifacts", "feed");

    /// <summary>Why the suite cannot run here, or null.</summary>
    public static string? MissingSetup =>
        RepositoryRoot is null ? "not running from a source checkout (no SasNet.slnx above the test binaries)"
        : !File.Exists(Runner) ? $"the notebook runner is not published ({Runner} is missing): run 'bash environment/setup.sh' first"
        : !Directory.Exists(Feed) || !Directory.EnumerateFiles(Feed, "SasNet.Kit.*.nupkg").Any() ? $"the kit is not packed into {Feed}: run 'bash environment/setup.sh' first"
        : null;

    private static string? FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SasNet.slnx"))) return dir.FullName;
        return null;
    }
}

/// <summary>
/// What a test needs from <c>environment/setup.sh</c> (runner, feed, Chromium, the dotnet-interactive tool), under the
/// rule of <see cref="ExternalRequirement"/>.
/// </summary>
public static class SetUp
{
    /// <summary>The skip reason for a test with these needs, or null when it must run.</summary>
    public static string? SkipReason(bool needsChromium = false, string? neededTool = null)
    {
        var missing = NotebookSuite.MissingSetup
                      ?? (needsChromium && HeadlessChromium.Locate() is null ? "Chromium is not installed (bash environment/setup.sh installs it)" : null)
                      ?? (neededTool is not null && !File.Exists(neededTool) ? $"{neededTool} is not installed: run 'bash environment/setup.sh --test-tools'" : null);
        return ExternalRequirement.SkipReason(missing);
    }
}

/// <summary>A theory that needs the set-up (<see cref="SetUp"/>).</summary>
public sealed class SetUpTheoryAttribute : TheoryAttribute
{
    public SetUpTheoryAttribute(bool needsChromium = false) => Skip = SetUp.SkipReason(needsChromium);
}

/// <summary>A fact that needs the set-up (<see cref="SetUp"/>).</summary>
public sealed class SetUpFactAttribute : FactAttribute
{
    public SetUpFactAttribute(bool needsChromium = false) => Skip = SetUp.SkipReason(needsChromium);
}

/// <summary>
/// One run cache for the whole suite, so that configurations shared between notebooks (the default SASNet run above
/// all) train once, and one output folder; both are temporary and removed afterwards.
/// </summary>
public sealed class NotebookSuiteFixture : IDisposable
{
    public NotebookSuiteFixture()
    {
        Root = Directory.CreateTempSubdirectory("sasnet-notebook-suite-").FullName;
        Cache = Directory.CreateDirectory(Path.Combine(Root, "cache")).FullName;
        Output = Directory.CreateDirectory(Path.Combine(Root, "out")).FullName;
    }

    public string Root { get; }

    public string Cache { get; }

    public string Output { get; }

    /// <summary>Runs the published runner on one notebook at Smoke scale, as the main job does; returns its exit code and log.</summary>
    public (int ExitCode, string Log) RunSmoke(string notebook)
    {
        var start = new ProcessStartInfo(NotebookSuite.Runner)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "run", notebook, "--output", Output, "--scale", "Smoke" }) start.ArgumentList.Add(argument);
        start.Environment["SASNET_CACHE"] = Cache;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

public sealed class NotebookSuiteTests(NotebookSuiteFixture fixture, ITestOutputHelper output) : IClassFixture<NotebookSuiteFixture>
{
    public static TheoryData<string> Notebooks => new(NotebookSuite.ExpectedFigures.Keys);

    // A kit object the kernel had no formatter for is shown as .NET Interactive's property tree.
    private static readonly Regex PropertyTree = new("<details[^>]*class=\"dni-treeview\"", RegexOptions.Compiled);

    [SetUpTheory(needsChromium: true)]
    [MemberData(nameof(Notebooks))]
    public void NotebookRunsAtSmokeScaleInTheKernelWithPlotlyFiguresAndHtmlTables(string name)
    {
        var path = Path.Combine(NotebookSuite.NotebooksFolder, name + ".ipynb");
        var clock = Stopwatch.StartNew();
        var (exitCode, log) = fixture.RunSmoke(path);
        output.WriteLine($"{name}: {clock.Elapsed.TotalSeconds:F1} s at Smoke scale\n{log}");
        Assert.True(exitCode == 0, $"{name} failed:\n{log}");

        var saved = new SavedNotebook(Path.Combine(fixture.Output, name + ".ipynb"));
        saved.AssertValidNbformat4();
        Assert.Contains(saved.CodeCells, c => SavedNotebook.Tags(c).Contains(NotebookRunner.InjectedParametersTag));
        var figureCells = 0;
        foreach (var (cell, index) in saved.CodeCells.Select((c, i) => (c, i + 1)))
        {
            Assert.True(cell["execution_count"] is JsonValue, $"{name}: code cell {index} was not executed");
            var outputs = SavedNotebook.Outputs(cell);
            Assert.DoesNotContain(outputs, o => o["output_type"]!.GetValue<string>() == "error");
            var source = SavedNotebook.Text(cell["source"]);
            foreach (var html in outputs.Select(o => SavedNotebook.Text(o["data"]?["text/html"])).Where(h => h.Length > 0))
            {
                Assert.False(PropertyTree.IsMatch(html), $"{name}: code cell {index} shows an object as a property tree:\n{html[..Math.Min(400, html.Length)]}");
            }
            // A cell that saves a figure also shows it: its output must be HTML that draws with plotly.js.
            if (source.Contains("PaperNotebook.SaveFigure(", StringComparison.Ordinal))
            {
                figureCells++;
                Assert.True(outputs.Any(o => SavedNotebook.Text(o["data"]?["text/html"]).Contains("Plotly.newPlot(", StringComparison.Ordinal)),
                    $"{name}: code cell {index} saves a figure but shows no plotly chart");
            }
            if (Regex.IsMatch(source, @"display\((table|kit\.Compare|fig4|perCase|lowLevel|otherDatasets)"))
            {
                Assert.True(outputs.Any(o => SavedNotebook.Text(o["data"]?["text/html"]).Contains("<table", StringComparison.Ordinal)),
                    $"{name}: code cell {index} displays a table that is not an HTML table");
            }
        }
        Assert.True(figureCells > 0, $"{name}: no cell shows a figure");

        foreach (var figure in NotebookSuite.ExpectedFigures[name])
        {
            foreach (var extension in new[] { ".html", ".png" })
            {
                var file = Path.Combine(fixture.Output, figure + extension);
                Assert.True(File.Exists(file) && new FileInfo(file).Length > 0, $"{name}: {figure}{extension} was not written");
            }
        }
        var page = File.ReadAllText(Path.Combine(fixture.Output, name + ".html"));
        Assert.Single(Regex.Matches(page, @"plotly\.js v\d+\.\d+\.\d+"));
    }

    [SetUpFact(needsChromium: true)]
    public void AnExportedNotebookPageDrawsEveryFigureOfflineInChromium()
    {
        var notebook = Path.Combine(NotebookSuite.NotebooksFolder, "03-sdm.ipynb");
        var (exitCode, log) = fixture.RunSmoke(notebook);
        Assert.True(exitCode == 0, log);
        var page = Path.Combine(fixture.Output, "03-sdm.html");
        var charts = Regex.Matches(File.ReadAllText(page), @"Plotly\.newPlot\('").Count; // a chart's call, not the library's own
        var dom = HeadlessChromium.DumpDom(page);
        var status = Regex.Match(dom, "data-sasnet-status=\"([^\"]*)\"").Groups[1].Value;
        Assert.True(status == "rendered", $"page status: '{status}'");
        Assert.Contains($"data-sasnet-plots=\"{charts}\"", dom);
        Assert.True(charts >= 3, $"only {charts} charts on the page");
        Assert.Contains("main-svg", dom);

        var png = Path.Combine(fixture.Output, "03-sdm-page.png");
        HeadlessChromium.Screenshot(page, png, 1100, 1400);
        var bytes = File.ReadAllBytes(png);
        Assert.True(bytes.Length > 20_000, $"screenshot of the page is only {bytes.Length} bytes: blank?");
    }

    [Fact]
    public void EveryNotebookIsCommittedWithoutOutputsWithOneParametersCellAndTakesTheKitFromItsPackage()
    {
        if (NotebookSuite.RepositoryRoot is null) return; // installed elsewhere: nothing to check
        var present = Directory.EnumerateFiles(NotebookSuite.NotebooksFolder, "*.ipynb")
            .Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(NotebookSuite.ExpectedFigures.Keys, present!);
        foreach (var name in present)
        {
            var saved = new SavedNotebook(Path.Combine(NotebookSuite.NotebooksFolder, name + ".ipynb"));
            saved.AssertValidNbformat4();
            Assert.Equal(".net-csharp", saved.Root["metadata"]!["kernelspec"]!["name"]!.GetValue<string>());
            Assert.Equal("markdown", saved.Cells[0]["cell_type"]!.GetValue<string>());
            var first = SavedNotebook.Text(saved.CodeCells[0]["source"]);
            Assert.StartsWith("#r \"nuget: SasNet.Kit, *-*\"", first);
            var parameters = saved.CodeCells.Where(c => SavedNotebook.Tags(c).Contains(NotebookRunner.ParametersTag)).ToList();
            Assert.True(parameters.Count == 1, $"{name}: needs exactly one cell tagged 'parameters', has {parameters.Count}");
            foreach (var cell in saved.CodeCells)
            {
                var source = SavedNotebook.Text(cell["source"]);
                Assert.True(cell["execution_count"] is null && SavedNotebook.Outputs(cell).Count == 0, $"{name}: committed with outputs; save it cleared");
                Assert.DoesNotContain("artifacts/kit", source);
            }
        }
    }
}
