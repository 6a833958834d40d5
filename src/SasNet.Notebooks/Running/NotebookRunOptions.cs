namespace SasNet.Notebooks.Running;

/// <summary>How <see cref="NotebookRunner"/> runs a notebook and where it writes the results.</summary>
public sealed record NotebookRunOptions
{
    /// <summary>Environment variable that tells notebook code where to save its figures and files.</summary>
    public const string OutputDirectoryVariable = "SASNET_NOTEBOOK_OUTPUT";

    /// <summary>
    /// Folder that receives <c>&lt;name&gt;.ipynb</c> (executed copy) and <c>&lt;name&gt;.html</c>; it is also given to
    /// the notebook as <see cref="OutputDirectoryVariable"/>. Null: nothing is written.
    /// </summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Overrides for variables of the cell tagged <c>parameters</c>.</summary>
    public IReadOnlyList<NotebookParameter> Parameters { get; init; } = [];

    /// <summary>Whether to export the executed notebook as a static HTML page next to the .ipynb.</summary>
    public bool ExportHtml { get; init; } = true;

    /// <summary>Where progress lines go (cell timings, failures); null: the console.</summary>
    public TextWriter? Log { get; init; }
}
