using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SasNet.Notebooks.Format;
using SasNet.Plots.Rendering;

namespace SasNet.Notebooks.Export;

/// <summary>Settings of <see cref="NotebookHtmlExporter"/>.</summary>
public sealed record HtmlExportOptions
{
    /// <summary>Page title (the notebook name).</summary>
    public string Title { get; init; } = "notebook";

    /// <summary>plotly.min.js to inline; null: the copy in Plotly.NET.dll (<see cref="PlotlyJs.Script"/>).</summary>
    public string? PlotlyScriptPath { get; init; }

    /// <summary>Not used any more: plotly.js comes from Plotly.NET.dll, nothing is searched for.</summary>
    public string? SearchStart { get; init; }
}

/// <summary>
/// Renders an executed notebook as one self-contained HTML page: markdown rendered, code in plain pre blocks,
/// outputs as they were produced. plotly.js is inlined once in the head so that figure outputs (which use
/// <c>window.Plotly</c> when it exists) render without a network.
/// </summary>
public sealed class NotebookHtmlExporter(HtmlExportOptions options)
{
    /// <summary>A problem worth telling the user after <see cref="Export"/> (e.g. plotly.js not found), or null.</summary>
    public string? Warning { get; private set; }

    /// <summary>The page for <paramref name="notebook"/>.</summary>
    public string Export(NotebookDocument notebook)
    {
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        page.Append($"<title>{WebUtility.HtmlEncode(options.Title)}</title>\n");
        page.Append("<style>\n").Append(Stylesheet).Append("</style>\n");
        page.Append(PageScripts.ErrorRecorder).Append('\n');
        page.Append(PlotlyScriptElement()).Append('\n');
        page.Append("</head>\n<body>\n<main class=\"notebook\">\n");
        int cellNumber = 0;
        foreach (var cell in notebook.Cells)
        {
            cellNumber++;
            if (cell.IsMarkdown)
                page.Append($"<section class=\"cell markdown\" id=\"cell-{cellNumber}\">\n{MarkdownRenderer.ToHtml(cell.Source)}</section>\n");
            else if (cell.IsCode)
                AppendCodeCell(page, cell, cellNumber);
            else
                page.Append($"<section class=\"cell raw\" id=\"cell-{cellNumber}\"><pre>{WebUtility.HtmlEncode(cell.Source)}</pre></section>\n");
        }
        page.Append("</main>\n").Append(PageScripts.RenderStatus).Append("\n</body>\n</html>\n");
        return page.ToString();
    }

    private string PlotlyScriptElement()
    {
        var script = options.PlotlyScriptPath is { } path ? PlotlyJs.InlineScriptElement(File.ReadAllText(path)) : PlotlyJs.ScriptElement;
        // Plotly.NET chart outputs call Plotly.newPlot without recording it; the recorder lets RenderStatus wait for them.
        return script + "\n" + SasNet.Plots.Export.ChartFiles.PlotRecorderScript;
    }

    private static void AppendCodeCell(StringBuilder page, NotebookCell cell, int cellNumber)
    {
        var count = cell.ExecutionCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? " ";
        var duration = cell.Metadata["sasnet_runner"]?["duration_seconds"] is JsonValue seconds
            ? $"<span class=\"duration\">{seconds.GetValue<double>():F2} s</span>"
            : "";
        var tags = cell.Tags.Count > 0 ? $"<span class=\"tags\">{WebUtility.HtmlEncode(string.Join(", ", cell.Tags))}</span>" : "";
        page.Append($"<section class=\"cell code\" id=\"cell-{cellNumber}\">\n");
        page.Append($"<div class=\"input\"><div class=\"prompt\">In [{count}]:{duration}{tags}</div>");
        page.Append($"<pre class=\"source\"><code>{WebUtility.HtmlEncode(cell.Source)}</code></pre></div>\n");
        if (cell.Json["outputs"] is JsonArray outputs && outputs.Count > 0)
        {
            page.Append("<div class=\"outputs\">\n");
            foreach (var output in outputs.OfType<JsonObject>()) AppendOutput(page, output);
            page.Append("</div>\n");
        }
        page.Append("</section>\n");
    }

    private static void AppendOutput(StringBuilder page, JsonObject output)
    {
        switch (output["output_type"]?.GetValue<string>())
        {
            case "stream":
                var name = output["name"]?.GetValue<string>() == "stderr" ? "stderr" : "stdout";
                page.Append($"<pre class=\"output stream {name}\">{WebUtility.HtmlEncode(MultilineText.Read(output["text"]))}</pre>\n");
                break;
            case "display_data" or "execute_result":
                page.Append("<div class=\"output display\">").Append(RenderMimeBundle(output["data"] as JsonObject)).Append("</div>\n");
                break;
            case "error":
                var traceback = output["traceback"] is JsonArray lines
                    ? string.Join("\n", lines.Select(l => l?.GetValue<string>() ?? ""))
                    : $"{output["ename"]}: {output["evalue"]}";
                page.Append($"<pre class=\"output error\">{WebUtility.HtmlEncode(StripAnsi(traceback))}</pre>\n");
                break;
        }
    }

    private static string RenderMimeBundle(JsonObject? data)
    {
        if (data is null) return "";
        string? Text(string mime) => data[mime] is { } node ? MultilineText.Read(node) : null;
        if (Text("text/html") is { } html) return html;
        if (Text("image/svg+xml") is { } svg) return svg;
        if (Text("image/png") is { } png) return $"<img alt=\"figure\" src=\"data:image/png;base64,{png.Trim()}\">";
        if (Text("image/jpeg") is { } jpeg) return $"<img alt=\"figure\" src=\"data:image/jpeg;base64,{jpeg.Trim()}\">";
        if (Text("text/markdown") is { } markdown) return MarkdownRenderer.ToHtml(markdown);
        if (Text("text/plain") is { } plain) return $"<pre>{WebUtility.HtmlEncode(plain)}</pre>";
        return "";
    }

    // Jupyter tracebacks often carry terminal colour codes.
    private static string StripAnsi(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, "\u001b\\[[0-9;]*m", "");

    private const string Stylesheet = """
        body { margin: 0; background: #fafafa; color: #1f2328; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
        main.notebook { max-width: 1100px; margin: 0 auto; padding: 24px; }
        .cell { margin: 14px 0; }
        .cell.markdown { padding: 0 8px; }
        .cell.markdown table, .output table { border-collapse: collapse; margin: 8px 0; }
        .cell.markdown th, .cell.markdown td { border: 1px solid #d0d7de; padding: 4px 10px; }
        .cell.markdown th { background: #f0f3f6; }
        .cell.markdown code { background: #eef1f4; padding: 1px 4px; border-radius: 3px; }
        pre { margin: 0; white-space: pre-wrap; word-break: break-word; font: 13px/1.45 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
        pre.md-code, pre.source { background: #f3f4f6; border: 1px solid #e1e4e8; border-radius: 4px; padding: 8px 10px; }
        .prompt { color: #57606a; font: 12px ui-monospace, monospace; margin-bottom: 2px; }
        .prompt .duration, .prompt .tags { margin-left: 10px; color: #8c959f; }
        .outputs { border-left: 3px solid #d0d7de; margin: 4px 0 0 0; padding: 4px 0 4px 10px; background: #fff; }
        .output { margin: 4px 0; overflow-x: auto; }
        pre.stderr { color: #9a6700; }
        pre.error { color: #cf222e; background: #fff5f5; padding: 6px 8px; border-radius: 4px; }
        .math { font-family: "Latin Modern Math", "STIX Two Math", serif; }
        div.math { margin: 8px 0; text-align: center; white-space: pre-wrap; }
        blockquote { margin: 8px 0; padding: 0 12px; color: #57606a; border-left: 4px solid #d0d7de; }
        img { max-width: 100%; }

        """;
}

/// <summary>Scripts shared by exported notebooks and standalone figure pages.</summary>
public static class PageScripts
{
    /// <summary>Collects page errors in <c>window.sasnetPageErrors</c>; goes first in the head.</summary>
    public const string ErrorRecorder = SasNet.Plots.Export.ChartFiles.ErrorRecorderScript;

    /// <summary>
    /// After load, waits for every figure's plotly promise and then marks the body with
    /// <c>data-sasnet-status="rendered"</c> (or "errors"/"failed") and <c>data-sasnet-plots</c> = figure count.
    /// Headless screenshots and the browser tests wait for this mark.
    /// </summary>
    public const string RenderStatus = SasNet.Plots.Export.ChartFiles.RenderStatusScript;
}
