using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SasNet.Notebooks.Format;

/// <summary>
/// An nbformat 4 notebook (.ipynb) held as a JSON tree. Only what the runner needs is interpreted;
/// everything else (unknown metadata, attachments, cell ids) is carried through untouched.
/// </summary>
public sealed class NotebookDocument
{
    /// <summary>Name of the Polyglot Notebooks C# kernel, used in kernelspec and cell metadata.</summary>
    public const string CSharpKernelName = "csharp";

    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        // Keep '<', '>' and non-ASCII readable in diffs; .ipynb is UTF-8 and not embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private NotebookDocument(JsonObject root, string source)
    {
        Root = root;
        SourceName = source;
    }

    /// <summary>The whole notebook JSON.</summary>
    public JsonObject Root { get; }

    /// <summary>Where the notebook was read from (file path or a description), used in messages.</summary>
    public string SourceName { get; }

    /// <summary>The cells, in order (live views over <see cref="Root"/>).</summary>
    public IReadOnlyList<NotebookCell> Cells =>
        CellArray.Select(node => new NotebookCell((JsonObject)node!)).ToList();

    /// <summary>The notebook-level metadata object.</summary>
    public JsonObject Metadata => (JsonObject)Root["metadata"]!;

    /// <summary>nbformat_minor of this notebook (cell ids are required from 4.5 on).</summary>
    public int FormatMinor => Root["nbformat_minor"]!.GetValue<int>();

    private JsonArray CellArray => (JsonArray)Root["cells"]!;

    /// <summary>Reads and validates a notebook file.</summary>
    /// <exception cref="NotebookFormatException">The file is not JSON or not nbformat 4.</exception>
    public static NotebookDocument Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NotebookFormatException(path, $"cannot read the notebook file: {e.Message}", e);
        }
        return Parse(text, path);
    }

    /// <summary>Parses and validates notebook JSON; <paramref name="sourceName"/> names it in errors.</summary>
    /// <exception cref="NotebookFormatException">The text is not JSON or not nbformat 4.</exception>
    public static NotebookDocument Parse(string json, string sourceName)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new NotebookFormatException(sourceName,
                $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", e);
        }
        if (node is not JsonObject root)
            throw new NotebookFormatException(sourceName, "a notebook must be a JSON object with 'cells', 'metadata', 'nbformat' and 'nbformat_minor'");
        Validate(root, sourceName);
        return new NotebookDocument(root, sourceName);
    }

    /// <summary>An empty notebook with the Polyglot Notebooks C# kernel metadata, nbformat 4.5.</summary>
    public static NotebookDocument CreatePolyglot(string sourceName = "new notebook")
    {
        var root = new JsonObject
        {
            ["cells"] = new JsonArray(),
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject
                {
                    ["display_name"] = ".NET (C#)",
                    ["language"] = "C#",
                    ["name"] = ".net-csharp",
                },
                ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
                ["polyglot_notebook"] = new JsonObject
                {
                    ["kernelInfo"] = new JsonObject
                    {
                        ["defaultKernelName"] = CSharpKernelName,
                        ["items"] = new JsonArray(new JsonObject
                        {
                            ["aliases"] = new JsonArray(),
                            ["languageName"] = "C#",
                            ["name"] = CSharpKernelName,
                        }),
                    },
                },
            },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        return new NotebookDocument(root, sourceName);
    }

    /// <summary>Appends a markdown cell.</summary>
    public NotebookCell AddMarkdown(string markdown) => Insert(CellArray.Count, NewMarkdownCell(markdown));

    /// <summary>Appends a C# code cell with optional tags.</summary>
    public NotebookCell AddCode(string code, params string[] tags) => Insert(CellArray.Count, NewCodeCell(code, tags));

    /// <summary>Inserts <paramref name="cell"/> at <paramref name="index"/>, giving it an id when nbformat ≥ 4.5 needs one.</summary>
    public NotebookCell Insert(int index, NotebookCell cell)
    {
        if (FormatMinor >= 5 && cell.Json["id"] is null)
            cell.Json["id"] = NewCellId();
        CellArray.Insert(index, cell.Json);
        return cell;
    }

    /// <summary>A new Polyglot C# code cell (not yet part of any notebook).</summary>
    public static NotebookCell NewCodeCell(string code, params string[] tags)
    {
        var metadata = new JsonObject
        {
            ["dotnet_interactive"] = new JsonObject { ["language"] = CSharpKernelName },
            ["polyglot_notebook"] = new JsonObject { ["kernelName"] = CSharpKernelName },
        };
        if (tags.Length > 0) metadata["tags"] = new JsonArray(tags.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray());
        return new NotebookCell(new JsonObject
        {
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["metadata"] = metadata,
            ["outputs"] = new JsonArray(),
            ["source"] = MultilineText.ToLines(code),
        });
    }

    /// <summary>A new markdown cell (not yet part of any notebook).</summary>
    public static NotebookCell NewMarkdownCell(string markdown) => new(new JsonObject
    {
        ["cell_type"] = "markdown",
        ["metadata"] = new JsonObject(),
        ["source"] = MultilineText.ToLines(markdown),
    });

    /// <summary>A deep copy that can be changed (e.g. filled with outputs) without touching this one.</summary>
    public NotebookDocument Clone(string? sourceName = null) =>
        new((JsonObject)Root.DeepClone(), sourceName ?? SourceName);

    /// <summary>The notebook as indented JSON with a final newline, as Jupyter and VS Code write it.</summary>
    public string ToJson() => Root.ToJsonString(WriteOptions) + "\n";

    /// <summary>Writes the notebook to <paramref name="path"/> (UTF-8, no BOM), creating the folder.</summary>
    public void Save(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        File.WriteAllText(path, ToJson(), new UTF8Encoding(false));
    }

    private static string NewCellId() => Guid.NewGuid().ToString("N")[..12];

    private static void Validate(JsonObject root, string source)
    {
        if (root["nbformat"] is not JsonValue major || !major.TryGetValue(out int majorVersion))
            throw new NotebookFormatException(source, "missing or non-integer 'nbformat'; is this an .ipynb notebook?");
        if (majorVersion != 4)
            throw new NotebookFormatException(source, $"nbformat {majorVersion} is not supported; only nbformat 4 notebooks can be run (convert with 'jupyter nbconvert --to notebook')");
        if (root["nbformat_minor"] is not JsonValue minor || !minor.TryGetValue(out int _))
            throw new NotebookFormatException(source, "missing or non-integer 'nbformat_minor'");
        if (root["metadata"] is not JsonObject)
            throw new NotebookFormatException(source, "missing 'metadata' object");
        if (root["cells"] is not JsonArray cells)
            throw new NotebookFormatException(source, "missing 'cells' array");
        for (int i = 0; i < cells.Count; i++)
        {
            if (cells[i] is not JsonObject cell)
                throw new NotebookFormatException(source, $"cell {i + 1} is not a JSON object");
            var type = cell["cell_type"] is JsonValue t && t.TryGetValue(out string? name) ? name : null;
            if (type is not ("code" or "markdown" or "raw"))
                throw new NotebookFormatException(source, $"cell {i + 1} has cell_type '{type ?? "(missing)"}'; expected code, markdown or raw");
            try
            {
                MultilineText.Read(cell["source"]);
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException)
            {
                throw new NotebookFormatException(source, $"cell {i + 1} has an invalid 'source': {e.Message}", e);
            }
            if (cell["metadata"] is not JsonObject) cell["metadata"] = new JsonObject();
        }
    }
}
