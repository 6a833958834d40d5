namespace SasNet.Notebooks.Running;

/// <summary>How <see cref="NotebookRunner"/> runs a notebook and where it writes the results.</summary>
public sealed record NotebookRunOptions
{
    /// <summary>Environment variable that tells notebook code where to save its figures and files.</summary>
    public const string OutputDirectoryVariable = "SASNET_NOTEBOOK_OUTPUT";

    /// <summary>Environment variable that holds the path of the notebook being run (e.g. for <c>sasnet sweep plan</c>'s record).</summary>
    public const string NotebookPathVariable = "SASNET_NOTEBOOK_PATH";

    /// <summary>
    /// Folder that receives <c>&lt;name&gt;.ipynb</c> (executed copy) and <c>&lt;name&gt;.html</c>; it is also given to
    /// the notebook as <see cref="OutputDirectoryVariable"/>. Null: nothing is written.
    /// </summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Overrides for variables of the cell tagged <c>parameters</c>.</summary>
    public IReadOnlyList<NotebookParameter> Parameters { get; init; } = [];

    /// <summary>Whether to export the executed notebook as a static HTML page next to the .ipynb.</summary>
    public bool ExportHtml { get; init; } = true;

    /// <summary>
    /// Whether to run the cells after a failed one too (the first failure is still the notebook's error). For
    /// <c>sasnet sweep plan</c>, where cells that need a trained result fail while the cells that ask for trainings go on.
    /// A failure of the parameters cell or of the injected overrides stops the run all the same.
    /// </summary>
    public bool KeepGoing { get; init; }

    /// <summary>Where progress lines go (cell timings, failures); null: the console.</summary>
    public TextWriter? Log { get; init; }
}
