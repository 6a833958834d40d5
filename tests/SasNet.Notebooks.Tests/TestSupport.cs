using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using SasNet.Notebooks.Kernel;

// The runner changes the process-wide current directory while a notebook runs.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace SasNet.Notebooks.Tests;

/// <summary>A temporary folder for one test, deleted afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Path = Directory.CreateTempSubdirectory("sasnet-nb-test-").FullName;

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}

/// <summary>Polyglot notebooks written with the documents library, as VS Code writes them.</summary>
public static class TestNotebook
{
    /// <summary>A markdown cell.</summary>
    public static InteractiveDocumentElement Markdown(string text) => new(text, "markdown");

    /// <summary>A C# cell, optionally tagged.</summary>
    public static InteractiveDocumentElement Code(string code, params string[] tags) =>
        new(code, NotebookKernel.CSharpKernelName)
        {
            Metadata = tags.Length == 0 ? null : new Dictionary<string, object> { ["tags"] = tags.Cast<object>().ToList() },
        };

    /// <summary>Writes the cells as an .ipynb file and returns its path.</summary>
    public static string Write(string path, params InteractiveDocumentElement[] cells)
    {
        var document = new InteractiveDocument(cells.ToList());
        File.WriteAllText(path, document.ToJupyterJson(NotebookKernel.CSharpKernelName));
        return path;
    }
}

/// <summary>Reads an executed .ipynb as JSON, the way other tools see it.</summary>
public sealed class SavedNotebook
{
    public SavedNotebook(string path)
    {
        Root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Cells = Root["cells"]!.AsArray().Select(c => c!.AsObject()).ToList();
    }

    public JsonObject Root { get; }

    public IReadOnlyList<JsonObject> Cells { get; }

    public IReadOnlyList<JsonObject> CodeCells => Cells.Where(c => c["cell_type"]!.GetValue<string>() == "code").ToList();

    public static IReadOnlyList<JsonObject> Outputs(JsonObject cell) =>
        cell["outputs"] is JsonArray outputs ? outputs.Select(o => o!.AsObject()).ToList() : [];

    public static IReadOnlyList<string> Tags(JsonObject cell) =>
        cell["metadata"]?["tags"] is JsonArray tags ? tags.Select(t => t!.GetValue<string>()).ToList() : [];

    /// <summary>Text of a multi-line nbformat field (a string or an array of lines).</summary>
    public static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonArray lines => string.Concat(lines.Select(l => l!.GetValue<string>())),
        _ => node.GetValue<string>(),
    };

    /// <summary>Checks the keys nbformat 4 requires of a notebook and of each cell and output.</summary>
    public void AssertValidNbformat4()
    {
        Assert.Equal(4, Root["nbformat"]!.GetValue<int>());
        Assert.IsType<JsonObject>(Root["metadata"]);
        foreach (var cell in Cells)
        {
            Assert.IsType<JsonObject>(cell["metadata"]);
            Assert.NotNull(cell["source"]);
            if (cell["cell_type"]!.GetValue<string>() != "code") continue;
            Assert.True(cell.ContainsKey("execution_count"), "code cells need execution_count (null allowed)");
            foreach (var output in Outputs(cell))
            {
                switch (output["output_type"]!.GetValue<string>())
                {
                    case "stream":
                        Assert.Contains(output["name"]!.GetValue<string>(), new[] { "stdout", "stderr" });
                        Assert.NotNull(output["text"]);
                        break;
                    case "display_data":
                        Assert.IsType<JsonObject>(output["data"]);
                        break;
                    case "execute_result":
                        Assert.IsType<JsonObject>(output["data"]);
                        Assert.NotNull(output["execution_count"]);
                        break;
                    case "error":
                        Assert.NotNull(output["ename"]);
                        Assert.NotNull(output["evalue"]);
                        Assert.IsType<JsonArray>(output["traceback"]);
                        break;
                    case var kind:
                        Assert.Fail($"unknown output_type {kind}");
                        break;
                }
            }
        }
    }
}
