using System.CommandLine;
using System.Globalization;
namespace SasNet.Notebooks.Running;

/// <summary>
/// <c>run</c> (also reached as <c>sasnet notebooks run</c>): runs Polyglot C# notebooks headlessly, each in a fresh
/// .NET Interactive kernel, writing for each an executed copy
/// (<c>&lt;name&gt;.ipynb</c>), a static page (<c>&lt;name&gt;.html</c>) and the figures it saved into the output folder.
/// </summary>
public static class RunCommand
{
    /// <summary>The scales every kit notebook's <c>Scale</c> parameter accepts.</summary>
    public static IReadOnlyList<string> Scales { get; } = ["Smoke", "Quick", "Paper"];

    /// <summary>The <c>run</c> command.</summary>
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "notebooks (.ipynb) or folders; a folder runs every *.ipynb in it in name order",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "folder for the executed notebooks, their HTML pages and saved figures",
            Required = true,
        };
        var parameters = new Option<string[]>("--param", "-p")
        {
            Description = "override a variable of the notebook's 'parameters' cell: Name=Value (value converted to the variable's type); repeatable",
            AllowMultipleArgumentsPerToken = false,
        };
        var codeParameters = new Option<string[]>("--param-code")
        {
            Description = "override a parameter with a C# expression: Name=Expression; repeatable",
            AllowMultipleArgumentsPerToken = false,
        };
        var scale = new Option<string?>("--scale") { Description = "shorthand for --param Scale=<Smoke|Quick|Paper>" };
        scale.AcceptOnlyFromAmong([.. Scales]);
        var noHtml = new Option<bool>("--no-html") { Description = "skip the HTML export" };
        var keepGoing = new Option<bool>("--keep-going") { Description = "run the cells after a failed one too (the notebook still counts as failed)" };

        var run = new Command("run", "Run notebooks headlessly and export them; exit code 1 when any notebook fails.")
        {
            paths, output, parameters, codeParameters, scale, noHtml, keepGoing,
        };
        run.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(paths) ?? [],
            parse.GetValue(output)!,
            parse.GetValue(parameters) ?? [],
            parse.GetValue(codeParameters) ?? [],
            parse.GetValue(scale),
            !parse.GetValue(noHtml),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            parse.GetValue(keepGoing),
            cancellationToken));

        return run;
    }

    /// <summary>
    /// Runs the notebooks found in <paramref name="paths"/> one after the other and prints a summary table.
    /// Returns 0 when all succeeded, 1 when any failed, 2 for unusable arguments.
    /// </summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> paths, string outputDirectory,
        IReadOnlyList<string> parameters, IReadOnlyList<string> codeParameters, string? scale,
        bool exportHtml, TextWriter output, TextWriter error, bool keepGoing = false, CancellationToken cancellationToken = default)
    {
        List<string> notebooks;
        List<NotebookParameter> overrides;
        try
        {
            notebooks = ExpandPaths(paths);
            overrides = ParseParameters(parameters, codeParameters, scale);
        }
        catch (Exception e) when (e is FileNotFoundException or FormatException)
        {
            await error.WriteLineAsync($"notebooks run: {e.Message}");
            return 2;
        }
        if (notebooks.Count == 0)
        {
            await error.WriteLineAsync("notebooks run: no .ipynb files found in " + string.Join(", ", paths));
            return 2;
        }

        var runner = new NotebookRunner(new NotebookRunOptions
        {
            OutputDirectory = outputDirectory,
            Parameters = overrides,
            ExportHtml = exportHtml,
            KeepGoing = keepGoing,
            Log = output,
        });
        var rows = new List<(string Name, string Status, TimeSpan Time, int Cells, string Detail)>();
        foreach (var notebook in notebooks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileNameWithoutExtension(notebook);
            try
            {
                var result = await runner.RunAsync(notebook, cancellationToken);
                var detail = result.Succeeded
                    ? (result.SavedFiles.Count > 0 ? $"{result.SavedFiles.Count} file(s) saved" : "")
                    : result.Summary;
                rows.Add((name, result.Succeeded ? "ok" : "FAILED", result.Duration, result.Cells.Count, detail));
            }
            catch (InvalidDataException e)
            {
                rows.Add((name, "INVALID", TimeSpan.Zero, 0, e.Message));
            }
        }

        PrintSummary(output, rows, Path.GetFullPath(outputDirectory));
        return rows.All(r => r.Status == "ok") ? 0 : 1;
    }

    /// <summary>Files as given, folders expanded to their *.ipynb in ordinal name order.</summary>
    /// <exception cref="FileNotFoundException">A path does not exist.</exception>
    public static List<string> ExpandPaths(IEnumerable<string> paths)
    {
        var notebooks = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                notebooks.AddRange(Directory.EnumerateFiles(path, "*.ipynb")
                    .Where(f => !Path.GetFileName(f).StartsWith('.'))
                    .Order(StringComparer.Ordinal));
            }
            else if (File.Exists(path))
                notebooks.Add(path);
            else
                throw new FileNotFoundException($"no such notebook or folder: {path}", path);
        }
        return notebooks;
    }

    /// <summary>--param, --param-code and --scale as notebook parameters (--scale becomes Scale).</summary>
    /// <exception cref="FormatException">An entry is not Name=Value, or a name is given twice.</exception>
    public static List<NotebookParameter> ParseParameters(IEnumerable<string> parameters, IEnumerable<string> codeParameters, string? scale)
    {
        var all = parameters.Select(p => NotebookParameter.Parse(p))
            .Concat(codeParameters.Select(p => NotebookParameter.Parse(p, isCode: true)))
            .ToList();
        if (scale is not null) all.Add(new NotebookParameter("Scale", scale));
        var duplicate = all.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new FormatException($"parameter {duplicate.Key} is given more than once (note that --scale sets Scale)");
        return all;
    }

    private static void PrintSummary(TextWriter output, List<(string Name, string Status, TimeSpan Time, int Cells, string Detail)> rows, string outputDirectory)
    {
        int nameWidth = Math.Max(8, rows.Max(r => r.Name.Length));
        output.WriteLine();
        output.WriteLine($"{"notebook".PadRight(nameWidth)}  {"status",-7}  {"time",9}  {"cells",5}  detail");
        output.WriteLine(new string('-', nameWidth + 36));
        foreach (var (name, status, time, cells, detail) in rows)
        {
            var seconds = time.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) + " s";
            output.WriteLine($"{name.PadRight(nameWidth)}  {status,-7}  {seconds,9}  {cells,5}  {detail}");
        }
        var total = rows.Aggregate(TimeSpan.Zero, (sum, r) => sum + r.Time).TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);
        int failed = rows.Count(r => r.Status != "ok");
        output.WriteLine($"{rows.Count} notebook(s), {failed} failed, {total} s; outputs in {outputDirectory}");
    }
}
