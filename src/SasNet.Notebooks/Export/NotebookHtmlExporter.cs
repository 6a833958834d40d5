using System.Net;
using System.Text;
using System.Globalization;
using Microsoft.DotNet.Interactive.Documents;
using SasNet.Notebooks.Running;
using SasNet.Pages;

namespace SasNet.Notebooks.Export;

/// <summary>
/// Renders an executed notebook as one self-contained HTML page: markdown rendered, code in plain pre blocks, outputs
/// as they were produced. plotly.js (Plotly.NET's own copy) is inlined once in the head, and a stand-in for require.js
/// hands it to the charts that Plotly.NET.Interactive's formatter wrote, so that every figure renders offline.
/// </summary>
public static class NotebookHtmlExporter
{
    /// <summary>The page for <paramref name="notebook"/>.</summary>
    public static string Export(InteractiveDocument notebook, string title)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        page.Append($"<title>{WebUtility.HtmlEncode(title)}</title>\n");
        page.Append("<style>\n").Append(Stylesheet).Append("</style>\n");
        page.Append(PlotlyPage.HeadScripts());
        page.Append("</head>\n<body>\n<main class=\"notebook\">\n");
        int cellNumber = 0;
        foreach (var cell in notebook.Elements)
        {
            cellNumber++;
            if (!NotebookRunner.IsCode(cell))
                page.Append($"<section class=\"cell markdown\" id=\"cell-{cellNumber}\">\n{MarkdownRenderer.ToHtml(cell.Contents)}</section>\n");
            else
                AppendCodeCell(page, cell, cellNumber);
        }
        page.Append("</main>\n").Append(PlotlyPage.RenderStatusScript).Append("\n</body>\n</html>\n");
        return page.ToString();
    }

    private static void AppendCodeCell(StringBuilder page, InteractiveDocumentElement cell, int cellNumber)
    {
        var count = cell.ExecutionOrder > 0 ? cell.ExecutionOrder.ToString(CultureInfo.InvariantCulture) : " ";
        var duration = cell.Metadata?.TryGetValue(NotebookRunner.MetadataKey, out var timing) == true
                       && timing is IDictionary<string, object> entries && entries.TryGetValue("duration_seconds", out var seconds)
            ? $"<span class=\"duration\">{Convert.ToDouble(seconds, CultureInfo.InvariantCulture):F2} s</span>"
            : "";
        var tags = NotebookRunner.Tags(cell);
        var tagText = tags.Count > 0 ? $"<span class=\"tags\">{WebUtility.HtmlEncode(string.Join(", ", tags))}</span>" : "";
        page.Append($"<section class=\"cell code\" id=\"cell-{cellNumber}\">\n");
        page.Append($"<div class=\"input\"><div class=\"prompt\">In [{count}]:{duration}{tagText}</div>");
        page.Append($"<pre class=\"source\"><code>{WebUtility.HtmlEncode(cell.Contents)}</code></pre></div>\n");
        if (cell.Outputs.Count > 0)
        {
            page.Append("<div class=\"outputs\">\n");
            foreach (var output in cell.Outputs) AppendOutput(page, output);
            page.Append("</div>\n");
        }
        page.Append("</section>\n");
    }

    private static void AppendOutput(StringBuilder page, InteractiveDocumentOutputElement output)
    {
        switch (output)
        {
            case TextElement text:
                var name = text.Name == "stderr" ? "stderr" : "stdout";
                page.Append($"<pre class=\"output stream {name}\">{WebUtility.HtmlEncode(text.Text)}</pre>\n");
                break;
            case DisplayElement display:
                page.Append("<div class=\"output display\">").Append(RenderMimeBundle(display.Data)).Append("</div>\n");
                break;
            case ReturnValueElement value:
                page.Append("<div class=\"output display\">").Append(RenderMimeBundle(value.Data)).Append("</div>\n");
                break;
            case ErrorElement error:
                var traceback = string.Join("\n", new[] { $"{error.ErrorName}: {error.ErrorValue}" }.Concat(error.StackTrace));
                page.Append($"<pre class=\"output error\">{WebUtility.HtmlEncode(StripAnsi(traceback))}</pre>\n");
                break;
        }
    }

    private static string RenderMimeBundle(IDictionary<string, object> data)
    {
        string? Text(string mime) => data.TryGetValue(mime, out var value) ? value?.ToString() : null;
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
