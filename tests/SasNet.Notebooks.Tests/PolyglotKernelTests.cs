using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SasNet.Notebooks.Tests;

/// <summary>
/// The kit in the kernel Polyglot Notebooks runs in VS Code: the <c>dotnet-interactive</c> tool (1.0.712001, which
/// <c>environment/setup.sh --test-tools</c> installs into artifacts/tools), driven over its stdio protocol as VS Code
/// drives it. This host has its own FSharp.Core and loads packages its own way, so it is checked for real.
/// </summary>
public sealed class PolyglotKernelTests : IDisposable
{
    private static readonly string Tool = Path.Combine(NotebookSuite.RepositoryRoot ?? ".", "artifacts", "tools", "dotnet-interactive");

    private readonly TempFolder folder = new();
    private Process? kernel;

    public void Dispose()
    {
        if (kernel is { HasExited: false }) kernel.Kill(entireProcessTree: true);
        kernel?.Dispose();
        folder.Dispose();
    }

    /// <summary>Needs the set-up and the tool (<see cref="SetUp"/>).</summary>
    public sealed class ToolFactAttribute : FactAttribute
    {
        public ToolFactAttribute() => Skip = SetUp.SkipReason(neededTool: Tool);
    }

    private sealed record Submission(bool Succeeded, string Message, IReadOnlyList<JsonObject> Events)
    {
        public IEnumerable<string> Values(string eventType, string mimeType) =>
            Events.Where(e => e["eventType"]!.GetValue<string>() == eventType)
                  .SelectMany(e => e["event"]!["formattedValues"]?.AsArray() ?? [])
                  .Where(v => v!["mimeType"]!.GetValue<string>() == mimeType)
                  .Select(v => v!["value"]!.GetValue<string>());

        public override string ToString() =>
            $"{(Succeeded ? "succeeded" : "failed")}: {Message}\n" + string.Join("\n", Events.Select(e => e.ToJsonString()[..Math.Min(300, e.ToJsonString().Length)]));
    }

    private Submission Submit(string code, TimeSpan? timeout = null)
    {
        kernel ??= Start();
        var token = Guid.NewGuid().ToString("N");
        var envelope = new JsonObject
        {
            ["token"] = token,
            ["commandType"] = "SubmitCode",
            ["command"] = new JsonObject { ["code"] = code, ["targetKernelName"] = "csharp" },
        };
        kernel.StandardInput.WriteLine(envelope.ToJsonString());
        kernel.StandardInput.Flush();
        var events = new List<JsonObject>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < (timeout ?? TimeSpan.FromMinutes(3)))
        {
            var line = kernel.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the kernel closed its output");
            JsonObject? message;
            try { message = JsonNode.Parse(line) as JsonObject; }
            catch (JsonException) { continue; }
            if (message?["eventType"] is null) continue;
            events.Add(message);
            var type = message["eventType"]!.GetValue<string>();
            if (type is "CommandSucceeded" or "CommandFailed" && message["command"]?["token"]?.GetValue<string>() == token)
                return new Submission(type == "CommandSucceeded", message["event"]?["message"]?.GetValue<string>() ?? "", events);
        }
        throw new TimeoutException($"no answer to: {code}");
    }

    private Process Start()
    {
        var start = new ProcessStartInfo(Tool, ["stdio", "--default-kernel", "csharp"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder.Path,
        };
        start.Environment["SASNET_CACHE"] = folder.File("cache");
        start.Environment["SASNET_NOTEBOOK_OUTPUT"] = folder.File("out");
        start.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    [ToolFact]
    public void TheKitDrawsTablesChartsAndProgressInThePolyglotNotebooksKernel()
    {
        var reference = Submit("#r \"nuget: SasNet.Kit, *-*\"", TimeSpan.FromMinutes(5));
        Assert.True(reference.Succeeded, reference.ToString());
        var newest = Directory.EnumerateFiles(NotebookSuite.Feed, "SasNet.Kit.*.nupkg").Select(Path.GetFileNameWithoutExtension).Max(StringComparer.Ordinal)!;
        Assert.Contains(newest["SasNet.Kit.".Length..], string.Join("", reference.Values("DisplayedValueUpdated", "text/html")));

        var table = Submit("""
            using SasNet.Plots.Builders;
            using SasNet.Plots.Tables;
            var table = new PaperComparisonTable("Table", ["Dice %"], "paper", "run");
            table.Add("SASNet", new double?[] { 91.82 }, new double?[] { 88.1 });
            table
            """);
        Assert.True(table.Succeeded, table.ToString());
        var tableHtml = Assert.Single(table.Values("ReturnValueProduced", "text/html"));
        Assert.Contains("<table", tableHtml);
        Assert.DoesNotContain("dni-treeview\"", tableHtml[..Math.Min(200, tableHtml.Length)]);

        // Plotly.NET needs a newer FSharp.Core than this tool loads; the kit's extension makes it run on the tool's own.
        var chart = Submit("""
            var bars = BarCharts.Grouped(["a", "b"], [new BarSeries("run", [1.0, 2.0], [0.1, 0.2])], "bars", "Dice (%)");
            bars
            """);
        Assert.True(chart.Succeeded, chart.ToString());
        Assert.Contains("Plotly.newPlot(", Assert.Single(chart.Values("ReturnValueProduced", "text/html")));

        var training = Submit("""
            using SasNet.Reports;
            using SasNet.Training;
            var kit = new PaperNotebook("Smoke", "Phantoms", "", "cpu");
            var run = kit.Train("SASNet, smoke", kit.Config(TrainingMethod.SasNet));
            run.History.Iterations.Count
            """, TimeSpan.FromMinutes(5));
        Assert.True(training.Succeeded, training.ToString());
        var shown = training.Events.Where(e => e["eventType"]!.GetValue<string>() == "DisplayedValueProduced"
                                               && e.ToJsonString().Contains("sasnet-progress", StringComparison.Ordinal)).ToList();
        var progressId = Assert.Single(shown)["event"]!["valueId"]!.GetValue<string>();
        var updates = training.Events.Where(e => e["eventType"]!.GetValue<string>() == "DisplayedValueUpdated"
                                                 && e["event"]!["valueId"]?.GetValue<string>() == progressId).ToList();
        Assert.NotEmpty(updates);
        Assert.Contains("done in", updates[^1].ToJsonString());
    }
}
