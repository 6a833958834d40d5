namespace SasNet.Notebooks.Running;

/// <summary>Outcome of running one notebook.</summary>
public sealed record NotebookRunResult
{
    /// <summary>The notebook that was run.</summary>
    public required string NotebookPath { get; init; }

    /// <summary>Whether every code cell ran without error.</summary>
    public required bool Succeeded { get; init; }

    /// <summary>Process exit code for this notebook: 0 on success, 1 when a cell failed.</summary>
    public int ExitCode => Succeeded ? 0 : 1;

    /// <summary>1-based position of the failing cell in the executed notebook (injected cells included), or null.</summary>
    public int? FailedCellNumber { get; init; }

    /// <summary>Execution count of the failing cell, or null.</summary>
    public int? FailedExecutionCount { get; init; }

    /// <summary>One-line description of the failure, or null.</summary>
    public string? Error { get; init; }

    /// <summary>Per code cell that ran: position, execution count, wall time and whether it failed.</summary>
    public required IReadOnlyList<CellRunRecord> Cells { get; init; }

    /// <summary>Wall time of the whole run (kernel start, package restore, execution, export).</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>The executed copy written to the output folder, or null.</summary>
    public string? OutputNotebookPath { get; init; }

    /// <summary>The exported HTML page, or null.</summary>
    public string? OutputHtmlPath { get; init; }

    /// <summary>Files that appeared or changed in the output folder while the notebook ran (figures, tables).</summary>
    public IReadOnlyList<string> SavedFiles { get; init; } = [];

    /// <summary>A message naming the notebook and the failing cell, or "ok".</summary>
    public string Summary => Succeeded
        ? "ok"
        : $"{Path.GetFileName(NotebookPath)}: cell {FailedCellNumber} (In [{FailedExecutionCount}]) failed: {Error}";
}

/// <summary>Timing and status of one executed code cell.</summary>
/// <param name="CellNumber">1-based position in the executed notebook.</param>
/// <param name="ExecutionCount">Its execution count.</param>
/// <param name="Duration">Wall time from preprocessing to the last output.</param>
/// <param name="Failed">Whether it ended in an error output.</param>
public sealed record CellRunRecord(int CellNumber, int ExecutionCount, TimeSpan Duration, bool Failed);
