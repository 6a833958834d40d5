using System.Text.Json.Nodes;
using SasNet.Notebooks.Execution;
using SasNet.Notebooks.Format;

namespace SasNet.Notebooks.Tests;

public sealed class NotebookRunnerTests
{
    private static async Task<(NotebookRunResult Result, NotebookDocument Executed, string Log)> Run(
        TempFolder folder, NotebookDocument notebook, string name = "nb", params NotebookParameter[] parameters)
    {
        var path = folder.File(name + ".ipynb");
        notebook.Save(path);
        var log = new StringWriter();
        var runner = new NotebookRunner(new NotebookRunOptions
        {
            OutputDirectory = folder.File("out"),
            Parameters = parameters,
            Log = log,
        });
        var result = await runner.RunAsync(path);
        Assert.NotNull(result.OutputNotebookPath);
        NotebookAssert.IsValidNbformat4(result.OutputNotebookPath!);
        return (result, NotebookDocument.Load(result.OutputNotebookPath!), log.ToString());
    }

    [Fact]
    public async Task Runs_cells_in_one_state_and_records_outputs_counts_and_timings()
    {
        using var folder = new TempFolder();
        var notebook = NotebookDocument.CreatePolyglot();
        notebook.AddMarkdown("# Title\nSome *text*.");
        notebook.AddCode("var numbers = new List<int> { 1, 2, 3 };\nConsole.WriteLine(\"sum \" + numbers.Sum());\nConsole.Error.WriteLine(\"careful\");");
        notebook.AddCode("class Card { public string ToHtml() => \"<b>card</b>\"; public override string ToString() => \"plain card\"; }\ndisplay(new Card());\ndisplay(42.5);\ndisplay(HTML(\"<i>raw</i>\"));");
        notebook.AddCode("var shown = display(\"first\");\nshown.Update(\"second\");\nawait Task.Delay(1);\nnumbers.Count * 10");
        notebook.AddCode("Parallel.For(0, 4, i => Console.WriteLine($\"worker {i}\"));");

        var (result, executed, log) = await Run(folder, notebook);

        Assert.True(result.Succeeded, result.Summary);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(4, result.Cells.Count);
        var cells = executed.Cells;
        Assert.Equal([1, 2, 3, 4], cells.Where(c => c.IsCode).Select(c => c.ExecutionCount!.Value));
        Assert.True(cells[0].IsMarkdown);

        var first = cells[1].Outputs.Select(o => o!.AsObject()).ToList();
        Assert.Equal("stream", first[0]["output_type"]!.GetValue<string>());
        Assert.Equal("stdout", first[0]["name"]!.GetValue<string>());
        Assert.Equal("sum 6\n", MultilineText.Read(first[0]["text"]));
        Assert.Equal("stderr", first[1]["name"]!.GetValue<string>());

        var displays = cells[2].Outputs.Select(o => o!.AsObject()).ToList();
        Assert.Equal(3, displays.Count);
        Assert.Equal("<b>card</b>", MultilineText.Read(displays[0]["data"]!["text/html"]));
        Assert.Null(displays[0]["data"]!["text/plain"]);
        Assert.Equal("42.5", MultilineText.Read(displays[1]["data"]!["text/plain"]));
        Assert.Equal("<i>raw</i>", MultilineText.Read(displays[2]["data"]!["text/html"]));

        var third = cells[3].Outputs.Select(o => o!.AsObject()).ToList();
        Assert.Equal("second", MultilineText.Read(third[0]["data"]!["text/plain"]));
        Assert.Equal("execute_result", third[1]["output_type"]!.GetValue<string>());
        Assert.Equal(3, third[1]["execution_count"]!.GetValue<int>());
        Assert.Equal("30", MultilineText.Read(third[1]["data"]!["text/plain"]));

        var workers = MultilineText.Read(cells[4].Outputs[0]!["text"]);
        Assert.Equal(4, workers.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        foreach (var cell in cells.Where(c => c.IsCode))
            Assert.True(cell.Metadata[NotebookRunner.MetadataKey]!["duration_seconds"]!.GetValue<double>() >= 0);
        Assert.True(executed.Metadata[NotebookRunner.MetadataKey]!["succeeded"]!.GetValue<bool>());
        Assert.Equal(".net-csharp", executed.Metadata["kernelspec"]!["name"]!.GetValue<string>());
        Assert.Contains("In [4]", log);

        var html = File.ReadAllText(result.OutputHtmlPath!);
        Assert.Contains("<h1 id=\"title\">Title</h1>", html);
        Assert.Contains("<b>card</b>", html);
        Assert.Contains("sum 6", html);
    }

    [Fact]
    public async Task Parameters_cell_values_are_overridden_by_an_injected_cell()
    {
        using var folder = new TempFolder();
        var notebook = NotebookDocument.CreatePolyglot();
        notebook.AddCode("var Scale = \"Quick\";\nvar Iterations = 100;\nvar Rate = 0.5;\nvar Fast = false;\nvar Day = DayOfWeek.Monday;\nvar Seeds = new[] { 1 };", NotebookRunner.ParametersTag);
        notebook.AddCode("Console.WriteLine($\"{Scale} {Iterations} {Rate} {Fast} {Day} {Seeds.Length}\");");

        var (result, executed, _) = await Run(folder, notebook, "params",
            new NotebookParameter("Scale", "Smoke \"tiny\""), new NotebookParameter("Iterations", "7"),
            new NotebookParameter("Rate", "0.25"), new NotebookParameter("Fast", "true"),
            new NotebookParameter("Day", "friday"), NotebookParameter.Parse("Seeds=new[] { 1, 2, 3 }", isCode: true));

        Assert.True(result.Succeeded, result.Summary);
        var injected = executed.Cells[1];
        Assert.True(injected.HasTag(NotebookRunner.InjectedParametersTag));
        Assert.Contains("Scale = \"Smoke \\\"tiny\\\"\";", injected.Source);
        Assert.Contains("Day = global::System.DayOfWeek.Friday;", injected.Source);
        Assert.Equal("Smoke \"tiny\" 7 0.25 True Friday 3\n", MultilineText.Read(executed.Cells[2].Outputs[0]!["text"]));
    }

    [Fact]
    public async Task Unknown_or_ill_typed_parameter_fails_in_the_injected_cell()
    {
        using var folder = new TempFolder();
        var notebook = NotebookDocument.CreatePolyglot();
        notebook.AddCode("var Iterations = 100;", NotebookRunner.ParametersTag);
        notebook.AddCode("Console.WriteLine(Iterations);");

        var (result, executed, _) = await Run(folder, notebook, "badparams", new NotebookParameter("Iterations", "many"));

        Assert.False(result.Succeeded);
        Assert.Equal(2, result.FailedCellNumber);
        Assert.Contains("'many' is not a valid Int32", result.Error);
        Assert.Null(executed.Cells[2].ExecutionCount);
    }

    [Fact]
    public async Task Runtime_exception_names_cell_and_line_and_later_cells_stay_unexecuted()
    {
        using var folder = new TempFolder();
        var notebook = NotebookDocument.CreatePolyglot();
        notebook.AddMarkdown("intro");
        notebook.AddCode("int Divide(int a, int b) => a / b;");
        notebook.AddCode("Console.WriteLine(\"before\");\nvar zero = 0;\nvar x = Divide(1, zero);");
        notebook.AddCode("Console.WriteLine(\"never\");");

        var (result, executed, log) = await Run(folder, notebook, "failing");

        Assert.False(result.Succeeded);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal(3, result.FailedCellNumber);
        Assert.Contains("failing.ipynb: cell 3", result.Summary);
        var outputs = executed.Cells[2].Outputs.Select(o => o!.AsObject()).ToList();
        Assert.Equal("before\n", MultilineText.Read(outputs[0]["text"]));
        var error = outputs[1];
        Assert.Equal("System.DivideByZeroException", error["ename"]!.GetValue<string>());
        var traceback = string.Join("\n", error["traceback"]!.AsArray().Select(l => l!.GetValue<string>()));
        // The throw happens in the function declared in cell 2, line 1, called from cell 3, line 3.
        Assert.StartsWith("Cell 2 (In [2]), line 1: System.DivideByZeroException", traceback);
        Assert.Contains("cell 3, line 3", traceback);
        Assert.Null(executed.Cells[3].ExecutionCount);
        Assert.Empty(executed.Cells[3].Outputs);
        Assert.Contains("FAILED", log);
        Assert.Contains("DivideByZeroException", File.ReadAllText(result.OutputHtmlPath!));
    }

    [Fact]
    public async Task Compile_error_lists_diagnostics_with_cell_relative_lines()
    {
        using var folder = new TempFolder();
        var notebook = NotebookDocument.CreatePolyglot();
        notebook.AddCode("var a = 1;");
        notebook.AddCode("var b = 2;\n\nvar c = a + undefinedName;");
        var (result, executed, _) = await Run(folder, notebook, "compile");

        Assert.False(result.Succeeded);
        Assert.Equal(2, result.FailedCellNumber);
        var error = executed.Cells[1].Outputs[0]!.AsObject();
        Assert.Equal("CompilationError", error["ename"]!.GetValue<string>());
        var first = error["traceback"]![0]!.GetValue<string>();
        Assert.Equal("Cell 2, line 3, column 13: error CS0103: The name 'undefinedName' does not exist in the current context", first);
    }

    [Fact]
    public async Task Reference_directives_load_dlls_relative_to_the_notebook_and_report_missing_ones()
    {
        using var folder = new TempFolder();
        // A "kit" folder beside the notebook, like artifacts/kit next to notebooks/.
        var kit = Directory.CreateDirectory(folder.File("kit")).FullName;
        foreach (var name in new[] { "SasNet.Plots.dll", "SasNet.Geometry.dll" })
            File.Copy(Path.Combine(AppContext.BaseDirectory, name), Path.Combine(kit, name));
        Directory.CreateDirectory(folder.File("notebooks"));

        var notebook = NotebookDocument.CreatePolyglot();
        notebook.AddCode("#r \"../kit/SasNet.Geometry.dll\"\n#r \"../kit/SasNet.Plots.dll\"\n#r \"nuget: SasNet.Plots, 1.0.0\"\nusing SasNet.Geometry;\nvar shape = new Shape3(2, 3, 4);\nshape.Count");
        notebook.AddCode("#r \"../kit/Missing.dll\"\nConsole.WriteLine(1);");
        var path = Path.Combine(folder.Path, "notebooks", "refs.ipynb");
        notebook.Save(path);
        var result = await new NotebookRunner(new NotebookRunOptions { OutputDirectory = folder.File("out"), Log = TextWriter.Null }).RunAsync(path);
        var executed = NotebookDocument.Load(result.OutputNotebookPath!);

        var firstOutputs = executed.Cells[0].Outputs.Select(o => o!.AsObject()).ToList();
        Assert.Contains("skipped", MultilineText.Read(firstOutputs[0]["text"])); // the nuget line
        Assert.Equal("24", MultilineText.Read(firstOutputs[1]["data"]!["text/plain"]));
        Assert.False(result.Succeeded);
        Assert.Equal(2, result.FailedCellNumber);
        var error = executed.Cells[1].Outputs[0]!.AsObject();
        Assert.Equal("DirectiveError", error["ename"]!.GetValue<string>());
        Assert.Contains("file not found: " + Path.Combine(kit, "Missing.dll"), error["evalue"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unavailable_nuget_reference_gives_a_clear_error()
    {
        using var folder = new TempFolder();
        var notebook = NotebookDocument.CreatePolyglot();
        // A package nothing in this process references (Plotly.NET itself is loaded now: the kit's charts use it).
        notebook.AddCode("#r \"nuget: XPlot.Plotly, 4.1.0\"\nConsole.WriteLine(1);");
        var (result, _, _) = await Run(folder, notebook, "nuget");
        Assert.False(result.Succeeded);
        Assert.Contains("cannot be honoured by the headless runner", result.Error);
        Assert.Contains("#r \"../artifacts/kit/XPlot.Plotly.dll\"", result.Error);
    }

    [Fact]
    public async Task Parameters_without_a_parameters_cell_fail_clearly()
    {
        using var folder = new TempFolder();
        var notebook = NotebookDocument.CreatePolyglot();
        notebook.AddCode("Console.WriteLine(1);");
        var (result, executed, _) = await Run(folder, notebook, "noparams", new NotebookParameter("Scale", "Smoke"));
        Assert.False(result.Succeeded);
        Assert.Contains("no cell tagged 'parameters'", result.Error);
        Assert.Null(executed.Cells[0].ExecutionCount);
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("[1, 2]", "must be a JSON object")]
    [InlineData("{\"nbformat\": 3, \"nbformat_minor\": 0, \"metadata\": {}, \"worksheets\": []}", "nbformat 3 is not supported")]
    [InlineData("{\"nbformat\": 4, \"nbformat_minor\": 2, \"metadata\": {}}", "missing 'cells'")]
    [InlineData("{\"nbformat\": 4, \"nbformat_minor\": 2, \"metadata\": {}, \"cells\": [{\"cell_type\": \"python\", \"source\": \"\"}]}", "cell 1 has cell_type 'python'")]
    public async Task Invalid_notebook_files_raise_an_exception_naming_the_file(string content, string expected)
    {
        using var folder = new TempFolder();
        var path = folder.File("broken.ipynb");
        File.WriteAllText(path, content);
        var error = await Assert.ThrowsAsync<NotebookFormatException>(() => new NotebookRunner(new NotebookRunOptions { Log = TextWriter.Null }).RunAsync(path));
        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Unknown_metadata_survives_a_load_save_round_trip()
    {
        var json = """
            {"cells": [{"cell_type": "code", "execution_count": 3, "id": "abc", "metadata": {"custom": {"keep": [1, 2]}, "tags": ["x"]},
              "outputs": [], "source": ["a\n", "b"]}],
             "metadata": {"kernelspec": {"name": ".net-csharp"}, "other": true}, "nbformat": 4, "nbformat_minor": 5}
            """;
        var document = NotebookDocument.Parse(json, "inline");
        Assert.Equal("a\nb", document.Cells[0].Source);
        var copy = NotebookDocument.Parse(document.ToJson(), "copy");
        Assert.Equal("[1,2]", copy.Cells[0].Metadata["custom"]!["keep"]!.ToJsonString());
        Assert.True(copy.Metadata["other"]!.GetValue<bool>());
        Assert.Equal("abc", copy.Cells[0].Json["id"]!.GetValue<string>());
    }
}
