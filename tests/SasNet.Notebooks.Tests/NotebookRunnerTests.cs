using SasNet.Notebooks.Running;
using static SasNet.Notebooks.Tests.TestNotebook;

namespace SasNet.Notebooks.Tests;

/// <summary>The runner on small notebooks in the real .NET Interactive C# kernel, in process.</summary>
public sealed class NotebookRunnerTests
{
    private static Task<NotebookRunResult> RunAsync(string path, string output, params NotebookParameter[] parameters) =>
        new NotebookRunner(new NotebookRunOptions { OutputDirectory = output, Parameters = parameters, Log = TextWriter.Null }).RunAsync(path);

    [Fact]
    public async Task CellsShareOneKernelAndTheirOutputsAreSavedAsVsCodeSavesThem()
    {
        using var folder = new TempFolder();
        var path = Write(folder.File("basics.ipynb"),
            Markdown("# Basics"),
            Code("var x = 6 * 7;\nConsole.WriteLine($\"x is {x}\");"),
            Code("display(\"shown\");\nx + 1"),
            Code("Console.Error.WriteLine(\"careful\");"));
        var result = await RunAsync(path, folder.File("out"));

        Assert.True(result.Succeeded, result.Summary);
        Assert.Equal([2, 3, 4], result.Cells.Select(c => c.CellNumber));
        Assert.Equal([1, 2, 3], result.Cells.Select(c => c.ExecutionCount));
        var saved = new SavedNotebook(result.OutputNotebookPath!);
        saved.AssertValidNbformat4();
        var (first, second, third) = (saved.CodeCells[0], saved.CodeCells[1], saved.CodeCells[2]);
        Assert.Equal(1, first["execution_count"]!.GetValue<int>());
        var stdout = Assert.Single(SavedNotebook.Outputs(first));
        Assert.Equal("stream", stdout["output_type"]!.GetValue<string>());
        Assert.Equal("x is 42\n", SavedNotebook.Text(stdout["text"]));

        var outputs = SavedNotebook.Outputs(second);
        Assert.Equal(["display_data", "execute_result"], outputs.Select(o => o["output_type"]!.GetValue<string>()));
        Assert.Equal("shown", SavedNotebook.Text(outputs[0]["data"]!["text/plain"]));
        Assert.Contains("43", SavedNotebook.Text(outputs[1]["data"]!["text/html"]));

        var stderr = Assert.Single(SavedNotebook.Outputs(third));
        Assert.Equal("stderr", stderr["name"]!.GetValue<string>());
        Assert.True(second["metadata"]![NotebookRunner.MetadataKey]!["duration_seconds"]!.GetValue<double>() >= 0);
        Assert.True(File.Exists(result.OutputHtmlPath));
    }

    [Fact]
    public async Task ParametersAreInjectedAfterTheParametersCellTypedLikeItsVariables()
    {
        using var folder = new TempFolder();
        var path = Write(folder.File("p.ipynb"),
            Code("var Scale = \"Quick\";\nvar Iterations = 10;\nvar Rate = 0.5;\nvar Verbose = false;", NotebookRunner.ParametersTag),
            Code("Console.WriteLine($\"{Scale} {Iterations * 2} {Rate * 2} {!Verbose}\");"));
        var result = await RunAsync(path, folder.File("out"),
            new NotebookParameter("Scale", "Smoke"), new NotebookParameter("Iterations", "21"),
            new NotebookParameter("Rate", "0.25"), new NotebookParameter("Verbose", "true"));

        Assert.True(result.Succeeded, result.Summary);
        var saved = new SavedNotebook(result.OutputNotebookPath!);
        var injected = saved.CodeCells[1];
        Assert.Equal([NotebookRunner.InjectedParametersTag], SavedNotebook.Tags(injected));
        Assert.Contains("Scale = \"Smoke\";", SavedNotebook.Text(injected["source"]));
        Assert.Equal("Smoke 42 0.5 False\n", SavedNotebook.Text(SavedNotebook.Outputs(saved.CodeCells[2])[0]["text"]));
    }

    [Fact]
    public async Task AnUnknownOrIllTypedParameterFailsInTheInjectedCellWithTheReason()
    {
        using var folder = new TempFolder();
        var path = Write(folder.File("p.ipynb"), Code("var Iterations = 10;", NotebookRunner.ParametersTag), Code("Iterations"));

        var unknown = await RunAsync(path, folder.File("a"), new NotebookParameter("Iteratons", "3"));
        Assert.False(unknown.Succeeded);
        Assert.Equal(2, unknown.FailedCellNumber);
        Assert.Contains("Iteratons", unknown.Error);
        Assert.Contains("declared: Iterations", unknown.Error);

        var illTyped = await RunAsync(path, folder.File("b"), new NotebookParameter("Iterations", "many"));
        Assert.False(illTyped.Succeeded);
        Assert.Contains("'many' is not a valid Int32", illTyped.Error);
    }

    [Fact]
    public async Task AFailingCellStopsTheRunNamesTheCellAndIsSavedWithItsError()
    {
        using var folder = new TempFolder();
        var path = Write(folder.File("fail.ipynb"),
            Markdown("intro"),
            Code("var ok = 1;"),
            Code("throw new InvalidOperationException(\"the phantom is empty\");"),
            Code("Console.WriteLine(\"never\");"));
        var result = await RunAsync(path, folder.File("out"));

        Assert.False(result.Succeeded);
        Assert.Equal(3, result.FailedCellNumber);
        Assert.Equal(2, result.FailedExecutionCount);
        Assert.Contains("the phantom is empty", result.Error);
        Assert.Contains("fail.ipynb: cell 3", result.Summary);
        Assert.Equal(2, result.Cells.Count);
        var saved = new SavedNotebook(result.OutputNotebookPath!);
        var error = Assert.Single(SavedNotebook.Outputs(saved.CodeCells[1]));
        Assert.Equal("error", error["output_type"]!.GetValue<string>());
        Assert.Contains("the phantom is empty", error["evalue"]!.GetValue<string>());
        Assert.Empty(SavedNotebook.Outputs(saved.CodeCells[2]));
        Assert.Contains("the phantom is empty", File.ReadAllText(result.OutputHtmlPath!));
    }

    [Fact]
    public async Task WithKeepGoingTheCellsAfterAFailureRunAndTheFirstFailureIsTheError()
    {
        using var folder = new TempFolder();
        var path = Write(folder.File("keep.ipynb"),
            Code("var asked = new List<string> { \"first\" };"),
            Code("throw new InvalidOperationException(\"not trained yet\");"),
            Code("asked.Add(\"second\"); Console.WriteLine(string.Join(\",\", asked));"),
            Code("undefinedVariable.ToString();"));
        var result = await new NotebookRunner(new NotebookRunOptions { OutputDirectory = folder.File("out"), KeepGoing = true, Log = TextWriter.Null }).RunAsync(path);

        Assert.False(result.Succeeded);
        Assert.Equal(2, result.FailedCellNumber);
        Assert.Contains("not trained yet", result.Error);
        Assert.Equal([false, true, false, true], result.Cells.Select(c => c.Failed));
        var saved = new SavedNotebook(result.OutputNotebookPath!);
        Assert.Contains("first,second", SavedNotebook.Outputs(saved.CodeCells[2]).Select(o => o.ToJsonString()).Single());
    }

    [Fact]
    public async Task ACompileErrorFailsItsCellWithTheCompilerMessage()
    {
        using var folder = new TempFolder();
        var path = Write(folder.File("c.ipynb"), Code("var a = 1;"), Code("var b = a +;\nundefinedName"));
        var result = await RunAsync(path, folder.File("out"));
        Assert.False(result.Succeeded);
        Assert.Equal(2, result.FailedCellNumber);
        Assert.Matches("CS1525|CS0103", result.Error);
    }

    [Fact]
    public async Task AnUpdatedDisplayIsSavedOnceInItsFinalState()
    {
        using var folder = new TempFolder();
        var path = Write(folder.File("d.ipynb"), Code("""
            var context = Microsoft.DotNet.Interactive.KernelInvocationContext.Current;
            var shown = Microsoft.DotNet.Interactive.KernelInvocationContextExtensions.Display(context, "step 0", "text/plain");
            for (int i = 1; i <= 5; i++) shown.Update($"step {i}");
            """));
        var result = await RunAsync(path, folder.File("out"));
        Assert.True(result.Succeeded, result.Summary);
        var output = Assert.Single(SavedNotebook.Outputs(new SavedNotebook(result.OutputNotebookPath!).CodeCells[0]));
        Assert.Equal("step 5", SavedNotebook.Text(output["data"]!["text/plain"]));
    }

    [Fact]
    public async Task AnUnavailableNugetPackageFailsTheCellWithTheRestoreError()
    {
        using var folder = new TempFolder();
        var path = Write(folder.File("n.ipynb"), Code("#r \"nuget: SasNet.No.Such.Package, 9.9.9\""));
        var result = await RunAsync(path, folder.File("out"));
        Assert.False(result.Succeeded);
        Assert.Contains("SasNet.No.Such.Package", result.Error + File.ReadAllText(result.OutputNotebookPath!));
    }

    [Fact]
    public async Task ParametersWithoutAParametersCellFailClearly()
    {
        using var folder = new TempFolder();
        var path = Write(folder.File("n.ipynb"), Code("1"));
        var result = await RunAsync(path, folder.File("out"), new NotebookParameter("Scale", "Smoke"));
        Assert.False(result.Succeeded);
        Assert.Contains("no cell tagged 'parameters'", result.Error);
        Assert.Empty(result.Cells);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"cells\": 5}")]
    public async Task UnreadableNotebookFilesRaiseAnExceptionNamingTheFile(string content)
    {
        using var folder = new TempFolder();
        var path = folder.File("broken.ipynb");
        File.WriteAllText(path, content);
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => RunAsync(path, folder.File("out")));
        Assert.Contains("broken.ipynb", e.Message);
    }

    [Fact]
    public async Task TheExportedPageInlinesPlotlyOnceAndRendersMarkdown()
    {
        using var folder = new TempFolder();
        var path = Write(folder.File("e.ipynb"), Markdown("# Title\nSome **bold** text."), Code("1 + 1"));
        var result = await RunAsync(path, folder.File("out"));
        var html = File.ReadAllText(result.OutputHtmlPath!);
        Assert.Contains("<strong>bold</strong>", html);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "plotly.js v\\d+\\.\\d+\\.\\d+"));
        Assert.Contains("window.requirejs.config", html);
    }
}
