using System.Text.Json.Nodes;

namespace SasNet.Notebooks.Format;

/// <summary>Builds nbformat 4 output objects (stream, display_data, execute_result, error).</summary>
public static class CellOutputs
{
    /// <summary>A <c>stream</c> output; <paramref name="name"/> is "stdout" or "stderr".</summary>
    public static JsonObject Stream(string name, string text) => new()
    {
        ["output_type"] = "stream",
        ["name"] = name,
        ["text"] = MultilineText.ToLines(text),
    };

    /// <summary>A <c>display_data</c> output with one entry per MIME type.</summary>
    public static JsonObject DisplayData(IReadOnlyDictionary<string, string> data) => new()
    {
        ["output_type"] = "display_data",
        ["data"] = MimeBundle(data),
        ["metadata"] = new JsonObject(),
    };

    /// <summary>An <c>execute_result</c> output: the value of a cell's final expression.</summary>
    public static JsonObject ExecuteResult(IReadOnlyDictionary<string, string> data, int executionCount) => new()
    {
        ["output_type"] = "execute_result",
        ["execution_count"] = executionCount,
        ["data"] = MimeBundle(data),
        ["metadata"] = new JsonObject(),
    };

    /// <summary>An <c>error</c> output.</summary>
    public static JsonObject Error(string name, string value, IEnumerable<string> traceback) => new()
    {
        ["output_type"] = "error",
        ["ename"] = name,
        ["evalue"] = value,
        ["traceback"] = new JsonArray(traceback.Select(line => (JsonNode?)JsonValue.Create(line)).ToArray()),
    };

    /// <summary>A MIME bundle object: MIME type → multiline text.</summary>
    public static JsonObject MimeBundle(IReadOnlyDictionary<string, string> data)
    {
        var bundle = new JsonObject();
        foreach (var (mime, text) in data) bundle[mime] = MultilineText.ToLines(text);
        return bundle;
    }
}
