namespace SasNet.Notebooks.Execution;

/// <summary>How <see cref="NotebookRunner"/> runs a notebook and where it writes the results.</summary>
public sealed record NotebookRunOptions
{
    /// <summary>Environment variable that tells notebook code where to save its figures and files.</summary>
    public const string OutputDirectoryVariable = "SASNET_NOTEBOOK_OUTPUT";

    /// <summary>Environment variable set to "1" while the headless runner executes a notebook.</summary>
    public const string RunnerVariable = "SASNET_NOTEBOOK_RUNNER";

    /// <summary>
    /// Folder that receives <c>&lt;name&gt;.ipynb</c> (executed copy) and <c>&lt;name&gt;.html</c>; it is also
    /// exposed to the notebook as <see cref="OutputDirectoryVariable"/>. Null: nothing is written.
    /// </summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Overrides for variables of the cell tagged <c>parameters</c>.</summary>
    public IReadOnlyList<NotebookParameter> Parameters { get; init; } = [];

    /// <summary>Whether to export the executed notebook as a static HTML page next to the .ipynb.</summary>
    public bool ExportHtml { get; init; } = true;

    /// <summary>plotly.min.js to inline into the HTML page; null: the copy in Plotly.NET.dll (<see cref="SasNet.Plots.Rendering.PlotlyJs.Script"/>).</summary>
    public string? PlotlyScriptPath { get; init; }

    /// <summary>Where progress lines go (cell timings, failures); null: the console as it was before the run.</summary>
    public TextWriter? Log { get; init; }
}
