using System.Text.Json.Nodes;
using SasNet.Notebooks.Format;

// The runner redirects the process-wide console and current directory while a notebook runs.
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

public static class NotebookAssert
{
    /// <summary>Checks the keys nbformat 4 requires of a notebook and of each cell and output.</summary>
    public static void IsValidNbformat4(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.Equal(4, root["nbformat"]!.GetValue<int>());
        Assert.True(root["nbformat_minor"]!.GetValue<int>() >= 0);
        Assert.IsType<JsonObject>(root["metadata"]);
        int minor = root["nbformat_minor"]!.GetValue<int>();
        foreach (var cell in root["cells"]!.AsArray().Select(c => c!.AsObject()))
        {
            Assert.IsType<JsonObject>(cell["metadata"]);
            Assert.NotNull(cell["source"]);
            if (minor >= 5) Assert.False(string.IsNullOrEmpty(cell["id"]?.GetValue<string>()), "nbformat 4.5 cells need an id");
            var type = cell["cell_type"]!.GetValue<string>();
            if (type != "code")
            {
                Assert.False(cell.ContainsKey("outputs"), "only code cells have outputs");
                continue;
            }
            Assert.True(cell.ContainsKey("execution_count"), "code cells need execution_count (null allowed)");
            foreach (var output in cell["outputs"]!.AsArray().Select(o => o!.AsObject()))
            {
                var kind = output["output_type"]!.GetValue<string>();
                switch (kind)
                {
                    case "stream":
                        Assert.Contains(output["name"]!.GetValue<string>(), new[] { "stdout", "stderr" });
                        Assert.NotNull(output["text"]);
                        break;
                    case "display_data":
                        Assert.IsType<JsonObject>(output["data"]);
                        Assert.IsType<JsonObject>(output["metadata"]);
                        break;
                    case "execute_result":
                        Assert.IsType<JsonObject>(output["data"]);
                        Assert.IsType<JsonObject>(output["metadata"]);
                        Assert.NotNull(output["execution_count"]);
                        break;
                    case "error":
                        Assert.NotNull(output["ename"]);
                        Assert.NotNull(output["evalue"]);
                        Assert.IsType<JsonArray>(output["traceback"]);
                        break;
                    default:
                        Assert.Fail($"unknown output_type {kind}");
                        break;
                }
            }
        }
    }

    public static string OutputText(NotebookCell cell) =>
        string.Join("\n", cell.Outputs.OfType<JsonObject>().Select(o => o.ToJsonString()));
}
