using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using SasNet.Notebooks.Export;
using SasNet.Notebooks.Format;

namespace SasNet.Notebooks.Execution;

/// <summary>
/// Runs the C# cells of a Polyglot notebook in order in one Roslyn scripting state, writes their outputs into
/// a copy of the notebook, and exports that copy as a static HTML page. Stops at the first failing cell.
/// </summary>
/// <remarks>
/// The console, the current directory and two environment variables are process-wide, so runs are serialised
/// within a process: a second <see cref="RunAsync(string, CancellationToken)"/> waits for the first.
/// </remarks>
public sealed class NotebookRunner
{
    /// <summary>Tag of the cell whose variables <see cref="NotebookRunOptions.Parameters"/> override.</summary>
    public const string ParametersTag = "parameters";

    /// <summary>Tag of the cell the runner inserts after the parameters cell with the overrides.</summary>
    public const string InjectedParametersTag = "injected-parameters";

    /// <summary>Key of the runner's timing entries in cell and notebook metadata.</summary>
    public const string MetadataKey = "sasnet_runner";

    /// <summary>Namespaces every cell can use without a using directive.</summary>
    public static IReadOnlyList<string> DefaultImports { get; } =
        ["System", "System.Linq", "System.Collections.Generic", "System.IO", "System.Threading.Tasks"];

    private static readonly SemaphoreSlim ProcessWideGate = new(1, 1);

    // Reading ~160 framework reference assemblies is the same work for every notebook: do it once.
    private static readonly Lazy<ImmutableArray<MetadataReference>> FrameworkReferences = new(LoadFrameworkReferences);

    private readonly NotebookRunOptions _options;

    /// <summary>A runner with the given options (defaults when null).</summary>
    public NotebookRunner(NotebookRunOptions? options = null) => _options = options ?? new NotebookRunOptions();

    /// <summary>Loads, runs and (when an output folder is set) saves the notebook at <paramref name="notebookPath"/>.</summary>
    /// <exception cref="NotebookFormatException">The file is not a valid nbformat 4 notebook.</exception>
    public Task<NotebookRunResult> RunAsync(string notebookPath, CancellationToken cancellationToken = default)
    {
        var fullPath = Path.GetFullPath(notebookPath);
        var document = NotebookDocument.Load(fullPath);
        return RunAsync(document, fullPath, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="document"/> as if it were the file <paramref name="notebookPath"/> (which decides the
    /// folder that relative <c>#r</c> paths start from and the output names). The document itself is not changed.
    /// </summary>
    public async Task<NotebookRunResult> RunAsync(NotebookDocument document, string notebookPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        notebookPath = Path.GetFullPath(notebookPath);
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

    private async Task<NotebookRunResult> RunSerialisedAsync(NotebookDocument source, string notebookPath, CancellationToken cancellationToken)
    {
        var totalTimer = Stopwatch.StartNew();
        var startedUtc = DateTime.UtcNow;
        var notebookName = Path.GetFileNameWithoutExtension(notebookPath);
        var notebookDirectory = Path.GetDirectoryName(notebookPath)!;
        var outputDirectory = _options.OutputDirectory is null ? null : Path.GetFullPath(_options.OutputDirectory);
        if (outputDirectory is not null) Directory.CreateDirectory(outputDirectory);
        var filesBefore = SnapshotFiles(outputDirectory);

        var executed = source.Clone(notebookPath);
        foreach (var cell in executed.Cells) cell.ClearOutputs();
        executed.Metadata.Remove(MetadataKey);

        var log = _options.Log ?? Console.Out;
        log.WriteLine($"▶ {notebookName}: running {executed.Cells.Count(c => c.IsCode)} code cells");

        var session = new CellSession(notebookName, notebookDirectory, _options.Parameters);
        RunFailure? failure = null;
        var records = new List<CellRunRecord>();

        var savedDirectory = Environment.CurrentDirectory;
        var savedOutputVariable = Environment.GetEnvironmentVariable(NotebookRunOptions.OutputDirectoryVariable);
        var savedRunnerVariable = Environment.GetEnvironmentVariable(NotebookRunOptions.RunnerVariable);
        Environment.CurrentDirectory = notebookDirectory; // as in Polyglot: relative paths start at the notebook
        Environment.SetEnvironmentVariable(NotebookRunOptions.OutputDirectoryVariable, outputDirectory ?? notebookDirectory);
        Environment.SetEnvironmentVariable(NotebookRunOptions.RunnerVariable, "1");
        AppDomain.CurrentDomain.AssemblyResolve += session.ResolveFromReferencedFolders;
        try
        {
            using var capture = new ConsoleCapture();
            if (_options.Parameters.Count > 0 && !executed.Cells.Any(c => c.HasTag(ParametersTag)))
            {
                failure = new RunFailure(null, null,
                    $"parameters were given ({string.Join(", ", _options.Parameters.Select(p => p.Name))}) but the notebook has no cell tagged '{ParametersTag}'");
            }
            for (int index = 0; failure is null && index < executed.Cells.Count; index++)
            {
                var cell = executed.Cells[index];
                if (!cell.IsCode) continue;
                var record = await session.ExecuteAsync(cell, index + 1, capture, cancellationToken).ConfigureAwait(false);
                records.Add(record);
                log.WriteLine($"  cell {record.CellNumber,3}  In [{record.ExecutionCount}]  {record.Duration.TotalSeconds,8:F2} s  {(record.Failed ? "FAILED" : "ok")}");
                if (record.Failed)
                {
                    failure = new RunFailure(record.CellNumber, record.ExecutionCount, session.LastError);
                    break;
                }
                if (cell.HasTag(ParametersTag) && _options.Parameters.Count > 0 && !session.ParametersInjected)
                {
                    // The overrides go into a cell of their own right after, as papermill does, so the executed
                    // notebook shows which values it ran with.
                    executed.Insert(index + 1, session.BuildInjectedParametersCell());
                }
            }
        }
        finally
        {
            AppDomain.CurrentDomain.AssemblyResolve -= session.ResolveFromReferencedFolders;
            Environment.CurrentDirectory = savedDirectory;
            Environment.SetEnvironmentVariable(NotebookRunOptions.OutputDirectoryVariable, savedOutputVariable);
            Environment.SetEnvironmentVariable(NotebookRunOptions.RunnerVariable, savedRunnerVariable);
        }

        executed.Metadata[MetadataKey] = new JsonObject
        {
            ["started_utc"] = startedUtc.ToString("o", CultureInfo.InvariantCulture),
            ["duration_seconds"] = Math.Round(totalTimer.Elapsed.TotalSeconds, 3),
            ["succeeded"] = failure is null,
            ["failed_cell"] = failure?.CellNumber,
            ["parameters"] = new JsonObject(_options.Parameters.Select(p =>
                KeyValuePair.Create(p.Name, (JsonNode?)JsonValue.Create(p.Value)))),
        };

        string? notebookOut = null, htmlOut = null;
        if (outputDirectory is not null)
        {
            notebookOut = Path.Combine(outputDirectory, notebookName + ".ipynb");
            executed.Save(notebookOut);
            if (_options.ExportHtml)
            {
                htmlOut = Path.Combine(outputDirectory, notebookName + ".html");
                var exporter = new NotebookHtmlExporter(new HtmlExportOptions
                {
                    Title = notebookName,
                    PlotlyScriptPath = _options.PlotlyScriptPath,
                    SearchStart = notebookDirectory,
                });
                File.WriteAllText(htmlOut, exporter.Export(executed), new UTF8Encoding(false));
                if (exporter.Warning is { } warning) log.WriteLine($"  warning: {warning}");
            }
        }

        var saved = ChangedFiles(outputDirectory, filesBefore).Where(f => f != notebookOut && f != htmlOut).ToList();
        totalTimer.Stop();
        var result = new NotebookRunResult
        {
            NotebookPath = notebookPath,
            Succeeded = failure is null,
            FailedCellNumber = failure?.CellNumber,
            FailedExecutionCount = failure?.ExecutionCount,
            Error = failure?.Message,
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

    private static Dictionary<string, DateTime> SnapshotFiles(string? folder) =>
        folder is null || !Directory.Exists(folder)
            ? []
            : Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc);

    private static IEnumerable<string> ChangedFiles(string? folder, Dictionary<string, DateTime> before) =>
        SnapshotFiles(folder)
            .Where(kv => !before.TryGetValue(kv.Key, out var written) || written != kv.Value)
            .Select(kv => kv.Key)
            .Order(StringComparer.Ordinal);

    private static ImmutableArray<MetadataReference> LoadFrameworkReferences()
    {
        // The shared framework folder holds the assemblies a Polyglot C# kernel can use without #r.
        var frameworkFolder = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var trusted = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => string.Equals(Path.GetDirectoryName(p), frameworkFolder, StringComparison.Ordinal));
        var files = trusted.Any() ? trusted : Directory.EnumerateFiles(frameworkFolder, "*.dll");
        var references = ImmutableArray.CreateBuilder<MetadataReference>();
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            if (IsManagedAssembly(file)) references.Add(MetadataReference.CreateFromFile(file));
        }
        return references.ToImmutable();
    }

    private static bool IsManagedAssembly(string file)
    {
        try
        {
            AssemblyName.GetAssemblyName(file);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    private sealed record RunFailure(int? CellNumber, int? ExecutionCount, string Message);

    /// <summary>The scripting state and bookkeeping of one notebook run.</summary>
    private sealed class CellSession
    {
        private readonly string _notebookName;
        private readonly string _notebookDirectory;
        private readonly IReadOnlyList<NotebookParameter> _parameters;
        private readonly CellPreprocessor _preprocessor;
        private readonly NotebookGlobals _globals = new();
        private readonly ScriptOptions _baseOptions;
        private readonly Dictionary<string, int> _cellByPseudoPath = new(StringComparer.Ordinal);
        private ScriptState<object>? _state;
        private int _executionCount;

        public CellSession(string notebookName, string notebookDirectory, IReadOnlyList<NotebookParameter> parameters)
        {
            _notebookName = notebookName;
            _notebookDirectory = notebookDirectory;
            _parameters = parameters;
            _preprocessor = new CellPreprocessor(notebookDirectory);
            _baseOptions = ScriptOptions.Default
                .WithReferences(FrameworkReferences.Value)
                .AddReferences(typeof(NotebookGlobals).Assembly)
                .WithImports(DefaultImports)
                .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(notebookDirectory))
                .WithSourceResolver(new SourceFileResolver(ImmutableArray<string>.Empty, notebookDirectory))
                .WithEmitDebugInformation(true) // line numbers in stack traces
                .WithFileEncoding(Encoding.UTF8)
                .WithAllowUnsafe(true);
        }

        public string LastError { get; private set; } = "";

        public bool ParametersInjected { get; private set; }

        public async Task<CellRunRecord> ExecuteAsync(NotebookCell cell, int cellNumber, ConsoleCapture capture, CancellationToken cancellationToken)
        {
            var timer = Stopwatch.StartNew();
            var startedUtc = DateTime.UtcNow;
            int executionCount = ++_executionCount;
            cell.ExecutionCount = executionCount;
            var collector = new CellOutputCollector();
            bool failed = await RunCellAsync(cell, cellNumber, executionCount, collector, capture, cancellationToken).ConfigureAwait(false);
            timer.Stop();
            cell.Json["outputs"] = new JsonArray(collector.Snapshot().Select(o => (JsonNode?)o).ToArray());
            cell.Metadata[MetadataKey] = new JsonObject
            {
                ["started_utc"] = startedUtc.ToString("o", CultureInfo.InvariantCulture),
                ["duration_seconds"] = Math.Round(timer.Elapsed.TotalSeconds, 3),
            };
            return new CellRunRecord(cellNumber, executionCount, timer.Elapsed, failed);
        }

        private Task<bool> RunCellAsync(NotebookCell cell, int cellNumber, int executionCount, CellOutputCollector collector,
            ConsoleCapture capture, CancellationToken cancellationToken)
        {
            if (!string.Equals(cell.KernelName, NotebookDocument.CSharpKernelName, StringComparison.OrdinalIgnoreCase))
                return Task.FromResult(Fail(collector, "UnsupportedKernel", cellNumber,
                    $"this cell is for the '{cell.KernelName}' kernel; the headless runner runs C# cells only"));
            var prepared = _preprocessor.Prepare(cell.Source);
            if (prepared.Error is not null)
                return Task.FromResult(Fail(collector, "DirectiveError", cellNumber, prepared.Error));
            foreach (var note in prepared.Notes) collector.WriteStream("stderr", $"[runner] {note}\n");
            return ExecuteScriptAsync(prepared, cellNumber, executionCount, collector, capture, cancellationToken);
        }

        private async Task<bool> ExecuteScriptAsync(PreparedCell prepared, int cellNumber, int executionCount,
            CellOutputCollector collector, ConsoleCapture capture, CancellationToken cancellationToken)
        {
            var pseudoPath = Path.Combine(_notebookDirectory, $"{_notebookName}.ipynb.cell{cellNumber}.csx");
            _cellByPseudoPath[pseudoPath] = cellNumber;
            var options = _baseOptions.WithFilePath(pseudoPath).AddReferences(prepared.ExtraReferences);
            _globals.CurrentOutput = collector;
            capture.Route(collector);
            ScriptState<object> next;
            try
            {
                next = _state is null
                    ? await CSharpScript.Create(prepared.Code, options, typeof(NotebookGlobals))
                        .RunAsync(_globals, _ => true, cancellationToken).ConfigureAwait(false)
                    : await _state.ContinueWithAsync(prepared.Code, options, _ => true, cancellationToken).ConfigureAwait(false);
            }
            catch (CompilationErrorException e)
            {
                return FailCompilation(collector, cellNumber, e);
            }
            finally
            {
                await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
                capture.Route(null);
            }
            if (next.Exception is { } exception)
            {
                if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested) throw exception;
                return FailRuntime(collector, cellNumber, executionCount, exception);
            }
            _state = next;
            if (next.ReturnValue is { } value)
            {
                try
                {
                    collector.Add(CellOutputs.ExecuteResult(DisplayFormatter.Format(value), executionCount));
                }
                catch (Exception e)
                {
                    return FailRuntime(collector, cellNumber, executionCount, e);
                }
            }
            return false;
        }

        /// <summary>The <c>injected-parameters</c> cell, its assignments typed after the parameters cell's variables.</summary>
        public NotebookCell BuildInjectedParametersCell()
        {
            ParametersInjected = true;
            var lines = new List<string> { "// Parameters given to the runner" };
            string? problem = null;
            foreach (var parameter in _parameters)
            {
                var variable = _state?.GetVariable(parameter.Name);
                if (variable is null)
                {
                    var known = _state?.Variables.Select(v => v.Name).Distinct().Order() ?? Enumerable.Empty<string>();
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
            if (problem is not null)
            {
                // A #error directive makes the cell fail at compile time with the message, in the notebook itself.
                lines.Add($"#error {problem.Replace('\n', ' ')}");
            }
            return NotebookDocument.NewCodeCell(string.Join("\n", lines), InjectedParametersTag);
        }

        public Assembly? ResolveFromReferencedFolders(object? sender, ResolveEventArgs args)
        {
            // Dependencies of a #r'd DLL usually sit beside it (the published kit does); Roslyn's loader
            // finds most, this catches the rest.
            var simpleName = new AssemblyName(args.Name).Name;
            if (simpleName is null) return null;
            foreach (var folder in _preprocessor.ProbeDirectories)
            {
                var candidate = Path.Combine(folder, simpleName + ".dll");
                if (File.Exists(candidate)) return Assembly.LoadFrom(candidate);
            }
            return null;
        }

        private bool Fail(CellOutputCollector collector, string name, int cellNumber, string message)
        {
            LastError = message;
            collector.Add(CellOutputs.Error(name, message, [$"Cell {cellNumber}: {message}"]));
            return true;
        }

        private bool FailCompilation(CellOutputCollector collector, int cellNumber, CompilationErrorException exception)
        {
            var errors = exception.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (errors.Count == 0) errors = exception.Diagnostics.ToList();
            var lines = errors.Select(d =>
            {
                var position = d.Location.GetLineSpan().StartLinePosition;
                return $"Cell {cellNumber}, line {position.Line + 1}, column {position.Character + 1}: error {d.Id}: {d.GetMessage(CultureInfo.InvariantCulture)}";
            }).ToList();
            LastError = $"{errors.Count} compile error(s); {lines[0]}";
            collector.Add(CellOutputs.Error("CompilationError", $"{errors.Count} compile error(s) in cell {cellNumber}", lines));
            return true;
        }

        private bool FailRuntime(CellOutputCollector collector, int cellNumber, int executionCount, Exception exception)
        {
            exception = Unwrap(exception);
            // The frame nearest the throw that belongs to a cell names where in the notebook it happened.
            var cellFrame = new StackTrace(exception, fNeedFileInfo: true).GetFrames()
                .FirstOrDefault(f => f.GetFileName() is { } file && _cellByPseudoPath.ContainsKey(file));
            var where = cellFrame is null
                ? $"Cell {cellNumber} (In [{executionCount}])"
                : $"Cell {_cellByPseudoPath[cellFrame.GetFileName()!]} (In [{executionCount}]), line {cellFrame.GetFileLineNumber()}";
            var detail = exception.ToString();
            foreach (var (pseudoPath, number) in _cellByPseudoPath)
                detail = detail.Replace($"{pseudoPath}:line ", $"cell {number}, line ", StringComparison.Ordinal);
            var traceback = new List<string> { $"{where}: {exception.GetType().FullName}: {exception.Message}" };
            traceback.AddRange(detail.Split('\n').Select(l => l.TrimEnd('\r')).Skip(1).Where(l => l.Length > 0));
            LastError = $"{where}: {exception.GetType().Name}: {exception.Message}";
            collector.Add(CellOutputs.Error(exception.GetType().FullName ?? exception.GetType().Name, exception.Message, traceback));
            return true;
        }

        private static Exception Unwrap(Exception exception)
        {
            while (true)
            {
                switch (exception)
                {
                    case TargetInvocationException { InnerException: { } inner }:
                        exception = inner;
                        continue;
                    case AggregateException aggregate when aggregate.InnerExceptions.Count == 1:
                        exception = aggregate.InnerExceptions[0];
                        continue;
                    default:
                        return exception;
                }
            }
        }
    }
}
