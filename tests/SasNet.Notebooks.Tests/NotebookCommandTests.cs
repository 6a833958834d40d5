using System.CommandLine;
using SasNet.Cli.Commands;
using SasNet.Notebooks.Execution;
using SasNet.Notebooks.Format;

namespace SasNet.Notebooks.Tests;

public sealed class NotebookCommandTests
{
    [Fact]
    public async Task Run_verb_runs_a_folder_in_name_order_applies_scale_and_reports_failures()
    {
        using var folder = new TempFolder();
        var notebooks = Directory.CreateDirectory(folder.File("notebooks")).FullName;
        var good = NotebookDocument.CreatePolyglot();
        good.AddCode("var Scale = \"Quick\";\nvar DataRoot = \"\";", NotebookRunner.ParametersTag);
        good.AddCode("File.WriteAllText(Path.Combine(Environment.GetEnvironmentVariable(\"SASNET_NOTEBOOK_OUTPUT\")!, \"a-table.txt\"), Scale + DataRoot);");
        good.Save(Path.Combine(notebooks, "a.ipynb"));
        var bad = NotebookDocument.CreatePolyglot();
        bad.AddCode("var Scale = \"Quick\";\nvar DataRoot = \"\";", NotebookRunner.ParametersTag);
        bad.AddCode("throw new InvalidOperationException(\"boom\");");
        bad.Save(Path.Combine(notebooks, "b.ipynb"));

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var root = new RootCommand { NotebookCommands.Create() };
        var outDir = folder.File("out");
        var parse = root.Parse(["notebooks", "run", notebooks, "--output", outDir, "--scale", "Smoke", "--param", "DataRoot=/x"]);
        Assert.Empty(parse.Errors);
        var exit = await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });

        Assert.Equal(1, exit);
        Assert.Equal("Smoke/x", File.ReadAllText(Path.Combine(outDir, "a-table.txt")));
        foreach (var name in new[] { "a.ipynb", "a.html", "b.ipynb", "b.html" })
            Assert.True(File.Exists(Path.Combine(outDir, name)), name);
        var executedB = NotebookDocument.Load(Path.Combine(outDir, "b.ipynb"));
        Assert.Equal("error", executedB.Cells[2].Outputs[0]!["output_type"]!.GetValue<string>());
        var summary = stdout.ToString();
        Assert.True(summary.IndexOf("▶ a", StringComparison.Ordinal) < summary.IndexOf("▶ b", StringComparison.Ordinal), "name order");
        Assert.Matches(@"b\s+FAILED\s+.*b\.ipynb: cell 3 \(In \[3\]\) failed: .*boom", summary);
        Assert.Contains("2 notebook(s), 1 failed", summary);
    }

    [Fact]
    public async Task Summary_and_exit_codes()
    {
        using var folder = new TempFolder();
        var notebook = NotebookDocument.CreatePolyglot();
        notebook.AddCode("Console.WriteLine(\"hi\");");
        notebook.Save(folder.File("one.ipynb"));
        var output = new StringWriter();
        var exit = await NotebookCommands.RunAsync([folder.File("one.ipynb")], folder.File("out"), [], [], null, null, false, output, TextWriter.Null);
        Assert.Equal(0, exit);
        Assert.Matches(@"one\s+ok\s+\d+\.\d s\s+1", output.ToString());
        Assert.False(File.Exists(folder.File("out/one.html")));

        var missing = await NotebookCommands.RunAsync([folder.File("nope.ipynb")], folder.File("out"), [], [], null, null, true, TextWriter.Null, output);
        Assert.Equal(2, missing);
        Assert.Contains("no such notebook", output.ToString());

        File.WriteAllText(folder.File("broken.ipynb"), "{");
        var invalid = await NotebookCommands.RunAsync([folder.File("broken.ipynb")], folder.File("out"), [], [], null, null, true, output, TextWriter.Null);
        Assert.Equal(1, invalid);
        Assert.Contains("INVALID", output.ToString());

        Assert.Throws<FormatException>(() => NotebookCommands.ParseParameters(["Scale=Quick"], [], "Smoke"));
        Assert.Throws<FormatException>(() => NotebookCommands.ParseParameters(["no-equals"], [], null));
    }
}
