using SasNet.IO;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using Microsoft.DotNet.Interactive.Events;
using SasNet.Notebooks.Export;
using SasNet.Notebooks.Kernel;

namespace SasNet.Notebooks.Running;

/// <summary>
/// Runs a Polyglot notebook headlessly in a fresh <see cref="NotebookKernel"/>: its cells are submitted in order, as
/// VS Code submits them on "Run All", their outputs go back into a copy of the notebook as VS Code saves them, and the
/// copy is exported as a static HTML page. Stops at the first failing cell, unless <see cref="NotebookRunOptions.KeepGoing"/>.
/// </summary>
/// <remarks>
/// The current directory and <see cref="NotebookRunOptions.OutputDirectoryVariable"/> are process-wide, so runs are
/// serialised within a process.
/// </remarks>
public sealed class NotebookRunner
{
    /// <summary>Tag of the cell whose variables <see cref="NotebookRunOptions.Parameters"/> override.</summary>
    public const string ParametersTag = "parameters";

    /// <summary>Tag of the cell the runner inserts after the parameters cell with the overrides (as papermill does).</summary>
    public const string InjectedParametersTag = "injected-parameters";

    /// <summary>Key of the runner's timing entries in cell and notebook metadata.</summary>
    public const string MetadataKey = "sasnet_runner";

    private static readonly SemaphoreSlim ProcessWideGate = new(1, 1);

    private readonly NotebookRunOptions options;

    /// <summary>A runner with the given options (defaults when null).</summary>
    public NotebookRunner(NotebookRunOptions? options = null) => this.options = options ?? new NotebookRunOptions();

    /// <summary>The kernel names a kit notebook may use, as the documents library needs them to read cell languages.</summary>
    public static KernelInfoCollection KernelInfos { get; } = CreateKernelInfos();

    private static KernelInfoCollection CreateKernelInfos()
    {
        var infos = new KernelInfoCollection
        {
            new Microsoft.DotNet.Interactive.Documents.KernelInfo(NotebookKernel.CSharpKernelName, "C#", ["c#", "C#"]),
        };
        infos.DefaultKernelName = NotebookKernel.CSharpKernelName;
        return infos;
    }

    /// <summary>Reads a notebook file.</summary>
    /// <exception cref="InvalidDataException">The file is not a notebook the documents library can read.</exception>
    public static InteractiveDocument Read(string notebookPath)
    {
        try
        {
            CheckNbformat4(notebookPath);
            using var stream = File.OpenRead(notebookPath);
            return Notebook.Read(stream, KernelInfos);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or NotSupportedException)
        {
            throw new InvalidDataException($"{notebookPath} is not a readable .ipynb notebook: {e.Message}", e);
        }
    }

    // The documents library reads almost anything; a notebook the runner would silently treat as empty is an error.
    private static void CheckNbformat4(string notebookPath)
    {
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(notebookPath));
        var root = json.RootElement;
        if (root.ValueKind != System.Text.Json.JsonValueKind.Object
            || !root.TryGetProperty("cells", out var cells) || cells.ValueKind != System.Text.Json.JsonValueKind.Array)
            throw new InvalidDataException($"{notebookPath} is not an nbformat 4 notebook: it has no 'cells' array");
        if (root.TryGetProperty("nbformat", out var format) && (format.ValueKind != System.Text.Json.JsonValueKind.Number || format.GetInt32() != 4))
            throw new InvalidDataException($"{notebookPath} is nbformat {format}, not 4");
    }

    /// <summary>Loads, runs and (when an output folder is set) saves the notebook at <paramref name="notebookPath"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a readable notebook.</exception>
    public async Task<NotebookRunResult> RunAsync(string notebookPath, CancellationToken cancellationToken = default)
    {
        notebookPath = Path.GetFullPath(notebookPath);
        var document = Read(notebookPath);
        await ProcessWideGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RunSerialisedAsync(document, notebookPath, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ProcessWideGate.Release();
        }
    }

    private async Task<NotebookRunResult> RunSerialisedAsync(InteractiveDocument document, string notebookPath, CancellationToken cancellationToken)
    {
        var totalTimer = Stopwatch.StartNew();
        var startedUtc = DateTime.UtcNow;
        var notebookName = Path.GetFileNameWithoutExtension(notebookPath);
        var notebookDirectory = Path.GetDirectoryName(notebookPath)!;
        var outputDirectory = options.OutputDirectory is null ? null : Path.GetFullPath(options.OutputDirectory);
        if (outputDirectory is not null) Directory.CreateDirectory(outputDirectory);
        var filesBefore = SnapshotFiles(outputDirectory);
        var log = options.Log ?? Console.Out;

        foreach (var element in document.Elements) element.Outputs.Clear();
        document.Metadata.Remove(MetadataKey);
        log.WriteLine($"▶ {notebookName}: running {document.Elements.Count(IsCode)} code cells");

        var records = new List<CellRunRecord>();
        string? failure = null;
        int? failedCell = null, failedCount = null;
        if (options.Parameters.Count > 0 && !document.Elements.Any(e => HasTag(e, ParametersTag)))
            failure = $"parameters were given ({string.Join(", ", options.Parameters.Select(p => p.Name))}) but the notebook has no cell tagged '{ParametersTag}'";

        var savedDirectory = Environment.CurrentDirectory;
        var savedOutputVariable = Environment.GetEnvironmentVariable(NotebookRunOptions.OutputDirectoryVariable);
        var savedPathVariable = Environment.GetEnvironmentVariable(NotebookRunOptions.NotebookPathVariable);
        Environment.CurrentDirectory = notebookDirectory; // as in VS Code: relative paths start at the notebook's folder
        Environment.SetEnvironmentVariable(NotebookRunOptions.OutputDirectoryVariable, outputDirectory ?? notebookDirectory);
        Environment.SetEnvironmentVariable(NotebookRunOptions.NotebookPathVariable, Path.GetFullPath(notebookPath));
        try
        {
            using var kernel = NotebookKernel.Create();
            var session = new CellSession(kernel);
            bool stop = failure is not null;
            for (int index = 0; !stop && index < document.Elements.Count; index++)
            {
                var element = document.Elements[index];
                if (!IsCode(element)) continue;
                var record = await session.RunAsync(element, index + 1, cancellationToken).ConfigureAwait(false);
                records.Add(record);
                log.WriteLine($"  cell {record.CellNumber,3}  In [{record.ExecutionCount}]  {record.Duration.TotalSeconds,8:F2} s  {(record.Failed ? "FAILED" : "ok")}");
                if (record.Failed)
                {
                    if (failure is null) (failure, failedCell, failedCount) = (session.LastError, record.CellNumber, record.ExecutionCount);
                    // The switches must hold: cells run with the notebook's defaults instead would be a different experiment.
                    stop = !options.KeepGoing || HasTag(element, ParametersTag) || HasTag(element, InjectedParametersTag);
                    if (stop) break;
                }
                if (HasTag(element, ParametersTag) && options.Parameters.Count > 0)
                {
                    // The overrides go into a cell of their own right after, so the executed notebook shows what it ran with.
                    document.Elements.Insert(index + 1, session.BuildInjectedParametersCell(options.Parameters));
                }
            }
        }
        finally
        {
            Environment.CurrentDirectory = savedDirectory;
            Environment.SetEnvironmentVariable(NotebookRunOptions.OutputDirectoryVariable, savedOutputVariable);
            Environment.SetEnvironmentVariable(NotebookRunOptions.NotebookPathVariable, savedPathVariable);
        }

        document.Metadata[MetadataKey] = new Dictionary<string, object?>
        {
            ["started_utc"] = startedUtc.ToString("o", CultureInfo.InvariantCulture),
            ["duration_seconds"] = Math.Round(totalTimer.Elapsed.TotalSeconds, 3),
            ["succeeded"] = failure is null,
            ["failed_cell"] = failedCell,
            ["parameters"] = options.Parameters.ToDictionary(p => p.Name, p => p.Value),
        };

        string? notebookOut = null, htmlOut = null;
        if (outputDirectory is not null)
        {
            notebookOut = Path.Combine(outputDirectory, notebookName + ".ipynb");
            AtomicFile.WriteAllText(notebookOut, document.ToJupyterJson());
            if (options.ExportHtml)
            {
                htmlOut = Path.Combine(outputDirectory, notebookName + ".html");
                AtomicFile.WriteAllText(htmlOut, NotebookHtmlExporter.Export(document, notebookName));
            }
        }

        var saved = ChangedFiles(outputDirectory, filesBefore).Where(f => f != notebookOut && f != htmlOut).ToList();
        totalTimer.Stop();
        var result = new NotebookRunResult
        {
            NotebookPath = notebookPath,
            Succeeded = failure is null,
            FailedCellNumber = failedCell,
            FailedExecutionCount = failedCount,
            Error = failure,
            Cells = records,
            Duration = totalTimer.Elapsed,
            OutputNotebookPath = notebookOut,
            OutputHtmlPath = htmlOut,
            SavedFiles = saved,
        };
        log.WriteLine(result.Succeeded
            ? $"✔ {notebookName}: {records.Count} cells in {result.Duration.TotalSeconds:F2} s"
            : $"✘ {result.Summary} ({result.Duration.TotalSeconds:F2} s)");
        return result;
    }

    /// <summary>Whether a cell holds code (markdown cells have the kernel name "markdown").</summary>
    public static bool IsCode(InteractiveDocumentElement element) =>
        !string.Equals(element.KernelName, "markdown", StringComparison.OrdinalIgnoreCase);

    /// <summary>The cell's Jupyter tags.</summary>
    public static IReadOnlyList<string> Tags(InteractiveDocumentElement element) =>
        element.Metadata?.TryGetValue("tags", out var tags) == true && tags is IEnumerable<object> list
            ? list.Select(t => t?.ToString() ?? "").ToList()
            : [];

    private static bool HasTag(InteractiveDocumentElement element, string tag) => Tags(element).Contains(tag, StringComparer.Ordinal);

    private static Dictionary<string, DateTime> SnapshotFiles(string? folder) =>
        folder is null || !Directory.Exists(folder)
            ? []
            : Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc);

    private static IEnumerable<string> ChangedFiles(string? folder, Dictionary<string, DateTime> before) =>
        SnapshotFiles(folder)
            .Where(kv => !before.TryGetValue(kv.Key, out var written) || written != kv.Value)
            .Select(kv => kv.Key)
            .Order(StringComparer.Ordinal);

    /// <summary>One notebook's kernel and the bookkeeping that turns kernel events into saved outputs.</summary>
    private sealed class CellSession(CompositeKernel kernel)
    {
        // Display ids of values shown so far, so that an update (a progress display) replaces its output in place,
        // in whichever cell showed it first.
        private readonly Dictionary<string, (InteractiveDocumentElement Cell, InteractiveDocumentOutputElement Output)> displayed = new(StringComparer.Ordinal);
        private int executionCount;

        public string LastError { get; private set; } = "";

        public async Task<CellRunRecord> RunAsync(InteractiveDocumentElement cell, int cellNumber, CancellationToken cancellationToken)
        {
            var timer = Stopwatch.StartNew();
            var startedUtc = DateTime.UtcNow;
            int executionCount = ++this.executionCount;
            cell.ExecutionOrder = executionCount;
            var kernelName = string.IsNullOrEmpty(cell.KernelName) ? NotebookKernel.CSharpKernelName : cell.KernelName;
            bool failed;
            if (kernel.FindKernelByName(kernelName) is null)
            {
                failed = true;
                LastError = $"cell {cellNumber} is for the '{kernelName}' kernel, which this runner does not have (it runs C# cells)";
                cell.Outputs.Add(new ErrorElement(LastError, "UnsupportedKernel"));
            }
            else
            {
                var result = await kernel.SendAsync(new SubmitCode(cell.Contents, kernelName), cancellationToken).ConfigureAwait(false);
                failed = Collect(cell, cellNumber, executionCount, result.Events);
            }
            timer.Stop();
            cell.Metadata ??= new Dictionary<string, object>();
            cell.Metadata[MetadataKey] = new Dictionary<string, object>
            {
                ["started_utc"] = startedUtc.ToString("o", CultureInfo.InvariantCulture),
                ["duration_seconds"] = Math.Round(timer.Elapsed.TotalSeconds, 3),
            };
            return new CellRunRecord(cellNumber, executionCount, timer.Elapsed, failed);
        }

        private bool Collect(InteractiveDocumentElement cell, int cellNumber, int executionCount, IEnumerable<KernelEvent> events)
        {
            bool failed = false;
            foreach (var e in events)
            {
                switch (e)
                {
                    case StandardOutputValueProduced output:
                        AppendText(cell, "stdout", PlainText(output));
                        break;
                    case StandardErrorValueProduced error:
                        AppendText(cell, "stderr", PlainText(error));
                        break;
                    case ReturnValueProduced value:
                        var returned = new ReturnValueElement { ExecutionOrder = executionCount };
                        foreach (var v in value.FormattedValues) returned.Data[v.MimeType] = v.Value;
                        cell.Outputs.Add(returned);
                        break;
                    case DisplayedValueUpdated update when update.ValueId is { } id && displayed.TryGetValue(id, out var shown):
                        var replacement = Display(update);
                        var position = shown.Cell.Outputs.IndexOf(shown.Output);
                        if (position >= 0) shown.Cell.Outputs[position] = replacement;
                        displayed[id] = (shown.Cell, replacement);
                        break;
                    case DisplayedValueProduced or DisplayedValueUpdated:
                        var display = Display((DisplayEvent)e);
                        cell.Outputs.Add(display);
                        if (((DisplayEvent)e).ValueId is { } valueId) displayed[valueId] = (cell, display);
                        break;
                    case ErrorProduced error:
                        cell.Outputs.Add(new ErrorElement(error.Message, "Error"));
                        break;
                    case CommandFailed commandFailed:
                        failed = true;
                        var message = commandFailed.Exception is { } exception
                            ? $"{exception.GetType().FullName}: {exception.Message}"
                            : commandFailed.Message;
                        var trace = commandFailed.Exception?.ToString().Split('\n').Select(l => l.TrimEnd('\r')).Skip(1).ToArray() ?? [];
                        LastError = $"cell {cellNumber} (In [{executionCount}]): {FirstLine(message)}";
                        cell.Outputs.Add(new ErrorElement(message, commandFailed.Exception?.GetType().Name ?? "Error", trace));
                        break;
                }
            }
            return failed;
        }

        private static DisplayElement Display(DisplayEvent e) =>
            new(e.FormattedValues.ToDictionary(v => v.MimeType, v => (object)v.Value));

        private static string PlainText(DisplayEvent e) =>
            e.FormattedValues.FirstOrDefault(v => v.MimeType == "text/plain")?.Value ?? e.FormattedValues.FirstOrDefault()?.Value ?? "";

        private static string FirstLine(string text) => text.Split('\n', 2)[0].TrimEnd('\r');

        // Consecutive writes to one stream form one output, as front ends show them.
        private static void AppendText(InteractiveDocumentElement cell, string stream, string text)
        {
            if (cell.Outputs.Count > 0 && cell.Outputs[^1] is TextElement last && last.Name == stream)
                cell.Outputs[^1] = new TextElement(last.Text + text, stream);
            else
                cell.Outputs.Add(new TextElement(text, stream));
        }

        /// <summary>The <c>injected-parameters</c> cell, its assignments typed after the parameters cell's variables.</summary>
        public InteractiveDocumentElement BuildInjectedParametersCell(IReadOnlyList<NotebookParameter> parameters)
        {
            var csharp = (CSharpKernel)kernel.FindKernelByName(NotebookKernel.CSharpKernelName)!;
            var lines = new List<string> { "// Parameters given to the runner" };
            string? problem = null;
            foreach (var parameter in parameters)
            {
                var variable = csharp.ScriptState?.GetVariable(parameter.Name);
                if (variable is null)
                {
                    var known = csharp.ScriptState?.Variables.Select(v => v.Name).Distinct().Order() ?? Enumerable.Empty<string>();
                    problem ??= $"parameter {parameter.Name}: the notebook declares no such variable before this point; declared: {string.Join(", ", known)}";
                    lines.Add($"// {parameter.Name} = {parameter.Value}  (unknown parameter)");
                    continue;
                }
                try
                {
                    lines.Add(parameter.ToAssignment(variable.Type));
                }
                catch (FormatException e)
                {
                    problem ??= e.Message;
                    lines.Add($"// {parameter.Name} = {parameter.Value}  (invalid)");
                }
            }
            // A #error directive fails the cell at compile time with the message, in the notebook itself.
            if (problem is not null) lines.Add($"#error {problem.Replace('\n', ' ')}");
            return new InteractiveDocumentElement(string.Join("\n", lines), NotebookKernel.CSharpKernelName)
            {
                Metadata = new Dictionary<string, object> { ["tags"] = new List<object> { InjectedParametersTag } },
            };
        }
    }
}
