using System.Text.Json.Nodes;

namespace SasNet.Notebooks.Format;

/// <summary>
/// One cell of an nbformat 4 notebook, a live view over its JSON object: changes write straight into
/// the document, and metadata this class does not know about is left as it was.
/// </summary>
public sealed class NotebookCell
{
    /// <summary>Wraps an existing cell object.</summary>
    public NotebookCell(JsonObject json) => Json = json ?? throw new ArgumentNullException(nameof(json));

    /// <summary>The underlying JSON object.</summary>
    public JsonObject Json { get; }

    /// <summary>"code", "markdown" or "raw".</summary>
    public string CellType => Json["cell_type"]?.GetValue<string>() ?? "";

    /// <summary>Whether this is a code cell.</summary>
    public bool IsCode => CellType == "code";

    /// <summary>Whether this is a markdown cell.</summary>
    public bool IsMarkdown => CellType == "markdown";

    /// <summary>The cell text; nbformat allows a string or a list of lines, both are read, a list is written.</summary>
    public string Source
    {
        get => MultilineText.Read(Json["source"]);
        set => Json["source"] = MultilineText.ToLines(value);
    }

    /// <summary>The cell's metadata object (created when missing).</summary>
    public JsonObject Metadata
    {
        get
        {
            if (Json["metadata"] is JsonObject metadata) return metadata;
            var created = new JsonObject();
            Json["metadata"] = created;
            return created;
        }
    }

    /// <summary>Tags from <c>metadata.tags</c>.</summary>
    public IReadOnlyList<string> Tags =>
        Json["metadata"]?["tags"] is JsonArray tags
            ? tags.Select(t => t?.GetValue<string>() ?? "").Where(t => t.Length > 0).ToList()
            : [];

    /// <summary>Whether the cell carries <paramref name="tag"/>.</summary>
    public bool HasTag(string tag) => Tags.Contains(tag, StringComparer.Ordinal);

    /// <summary>
    /// The kernel that Polyglot Notebooks would run this cell in ("csharp" unless the cell says otherwise).
    /// </summary>
    public string KernelName =>
        Json["metadata"]?["polyglot_notebook"]?["kernelName"]?.GetValue<string>()
        ?? Json["metadata"]?["dotnet_interactive"]?["language"]?.GetValue<string>()
        ?? "csharp";

    /// <summary>The execution counter of a code cell (null when not run).</summary>
    public int? ExecutionCount
    {
        get => Json["execution_count"] is JsonValue value && value.TryGetValue(out int count) ? count : null;
        set => Json["execution_count"] = value is int count ? JsonValue.Create(count) : null;
    }

    /// <summary>The outputs array of a code cell (created when missing).</summary>
    public JsonArray Outputs
    {
        get
        {
            if (Json["outputs"] is JsonArray outputs) return outputs;
            var created = new JsonArray();
            Json["outputs"] = created;
            return created;
        }
    }

    /// <summary>Removes outputs and the execution count, as before a fresh run.</summary>
    public void ClearOutputs()
    {
        if (!IsCode) return;
        Json["outputs"] = new JsonArray();
        Json["execution_count"] = null;
    }
}

/// <summary>nbformat's "multiline string": either one string or an array of lines that keep their newlines.</summary>
public static class MultilineText
{
    /// <summary>Joins a string or an array of strings back into one text.</summary>
    public static string Read(JsonNode? node) => node switch
    {
        null => "",
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
        JsonValue value when value.TryGetValue(out string? text) => text ?? "",
        _ => throw new FormatException($"expected a string or an array of strings, found {node.ToJsonString()}"),
    };

    /// <summary>Splits text into lines, each keeping its trailing "\n", the form Jupyter writes.</summary>
    public static JsonArray ToLines(string text)
    {
        var lines = new JsonArray();
        int start = 0;
        while (start < text.Length)
        {
            int newline = text.IndexOf('\n', start);
            int end = newline < 0 ? text.Length : newline + 1;
            lines.Add(text[start..end]);
            start = end;
        }
        return lines;
    }
}
