using System.Diagnostics;
using System.Text.Json.Nodes;
using SasNet.Notebooks.Execution;
using SasNet.Notebooks.Format;
using SasNet.Plots.Rendering;
using Xunit.Abstractions;

namespace SasNet.Notebooks.Tests;

/// <summary>The notebooks of SPEC §5 and what each must leave in its output folder.</summary>
public static class NotebookSuite
{
    /// <summary>Notebook name → figures it saves (each as .html and, when Chromium is installed, .png).</summary>
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

    /// <summary>The published kit's research library, which every notebook references.</summary>
    public static string KitLibrary => Path.Combine(RepositoryRoot ?? ".", "artifacts", "kit", "SasNet.dll");

    /// <summary>Whether PNG export can work here (headless Chromium is installed; plotly.js comes with Plotly.NET).</summary>
    public static bool CanExportPng => HeadlessChromium.Locate() is not null;

    private static string? FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SasNet.slnx"))) return dir.FullName;
        return null;
    }
}

/// <summary>A theory that is skipped, with the reason, when the kit has not been published to artifacts/kit.</summary>
public sealed class KitBuiltTheoryAttribute : TheoryAttribute
{
    public KitBuiltTheoryAttribute()
    {
        if (NotebookSuite.RepositoryRoot is null)
            Skip = "not running from a source checkout (no SasNet.slnx above the test binaries), so there are no notebooks to run";
        else if (!File.Exists(NotebookSuite.KitLibrary))
            Skip = $"the kit is not built ({NotebookSuite.KitLibrary} is missing): run 'bash environment/setup.sh' first";
    }
}

/// <summary>
/// One cache for the whole suite, so that configurations shared between notebooks (the default SASNet run above all)
/// train once, and one output folder; both are temporary and removed afterwards.
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

    [KitBuiltTheory]
    [MemberData(nameof(Notebooks))]
    public async Task Notebook_runs_at_smoke_scale_and_saves_its_figures(string name)
    {
        var path = Path.Combine(NotebookSuite.NotebooksFolder, name + ".ipynb");
        Assert.True(File.Exists(path), $"{path} is missing");
        var log = new StringWriter();
        var savedCache = Environment.GetEnvironmentVariable("SASNET_CACHE");
        Environment.SetEnvironmentVariable("SASNET_CACHE", fixture.Cache);
        var clock = Stopwatch.StartNew();
        NotebookRunResult result;
        try
        {
            var runner = new NotebookRunner(new NotebookRunOptions
            {
                OutputDirectory = fixture.Output,
                Parameters = [new NotebookParameter("Scale", "Smoke")],
                Log = log,
            });
            result = await runner.RunAsync(path);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SASNET_CACHE", savedCache);
        }
        clock.Stop();
        output.WriteLine($"{name}: {clock.Elapsed.TotalSeconds:F1} s at Smoke scale " +
                         $"(cells: {string.Join(", ", result.Cells.Select(c => $"{c.Duration.TotalSeconds:F1}"))} s)");
        Assert.True(result.Succeeded, result.Summary + "\n" + log);

        var executed = NotebookDocument.Load(result.OutputNotebookPath!);
        Assert.Contains(executed.Cells, c => c.HasTag(NotebookRunner.InjectedParametersTag));
        foreach (var (cell, index) in executed.Cells.Select((c, i) => (c, i + 1)).Where(t => t.c.IsCode))
        {
            Assert.True(cell.ExecutionCount is not null, $"{name}: code cell {index} was not executed");
            var errors = cell.Outputs.OfType<JsonObject>().Where(o => o["output_type"]?.GetValue<string>() == "error").ToList();
            Assert.True(errors.Count == 0, $"{name}: code cell {index} has an error output: {string.Join("; ", errors.Select(e => e.ToJsonString()))}");
        }

        bool png = NotebookSuite.CanExportPng;
        foreach (var figure in NotebookSuite.ExpectedFigures[name])
        {
            var html = Path.Combine(fixture.Output, figure + ".html");
            Assert.True(File.Exists(html) && new FileInfo(html).Length > 0, $"{name}: {figure}.html was not written");
            if (!png) continue;
            var image = Path.Combine(fixture.Output, figure + ".png");
            Assert.True(File.Exists(image) && new FileInfo(image).Length > 0, $"{name}: {figure}.png was not written");
        }
        if (!png) output.WriteLine("PNG files not checked: headless Chromium or plotly.js is not installed");
    }

    [Fact]
    public void Every_notebook_is_present_with_one_parameters_cell_and_no_outputs()
    {
        if (NotebookSuite.RepositoryRoot is null) return; // installed elsewhere: nothing to check
        var present = Directory.EnumerateFiles(NotebookSuite.NotebooksFolder, "*.ipynb")
            .Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(NotebookSuite.ExpectedFigures.Keys, present!);
        foreach (var name in present)
        {
            var path = Path.Combine(NotebookSuite.NotebooksFolder, name + ".ipynb");
            NotebookAssert.IsValidNbformat4(path);
            var notebook = NotebookDocument.Load(path);
            Assert.Equal(".net-csharp", notebook.Metadata["kernelspec"]!["name"]!.GetValue<string>());
            Assert.True(notebook.Cells[0].IsMarkdown, $"{name}: should open with a markdown introduction");
            var parameters = notebook.Cells.Where(c => c.HasTag(NotebookRunner.ParametersTag)).ToList();
            Assert.True(parameters.Count == 1, $"{name}: needs exactly one cell tagged 'parameters', has {parameters.Count}");
            foreach (var variable in new[] { "var Scale = ", "var DataRoot = ", "var Device = " })
                Assert.Contains(variable, parameters[0].Source);
            foreach (var cell in notebook.Cells.Where(c => c.IsCode))
            {
                Assert.True(cell.ExecutionCount is null && cell.Outputs.Count == 0, $"{name}: committed with outputs; save it cleared");
                Assert.DoesNotContain("#r \"nuget:", cell.Source);
            }
        }
    }
}
