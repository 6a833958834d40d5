using System.Net;
using System.Text;

namespace SasNet.Geometry;

/// <summary>Renders a header plus rows of cells as an aligned text table or an HTML table.</summary>
internal static class TableRendering
{
    /// <summary>
    /// Columns in <paramref name="textColumns"/> (default: the first, labels) are left-aligned, the others
    /// right-aligned (numbers); a rule under the header and before the row indices in <paramref name="rulesBefore"/>.
    /// </summary>
    public static string Text(string? title, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows,
        IEnumerable<int>? rulesBefore = null, IReadOnlySet<int>? textColumns = null)
    {
        textColumns ??= LabelColumnOnly;
        var allRows = rows.ToList();
        var widths = new int[header.Count];
        for (int c = 0; c < header.Count; c++)
        {
            widths[c] = header[c].Length;
            foreach (var row in allRows) widths[c] = Math.Max(widths[c], row[c].Length);
        }
        var rules = new HashSet<int>(rulesBefore ?? []);
        var builder = new StringBuilder();
        if (!string.IsNullOrEmpty(title)) builder.AppendLine(title);
        AppendLine(builder, header, widths, textColumns);
        string rule = new('-', widths.Sum() + 2 * (widths.Length - 1));
        builder.AppendLine(rule);
        for (int r = 0; r < allRows.Count; r++)
        {
            if (rules.Contains(r)) builder.AppendLine(rule);
            AppendLine(builder, allRows[r], widths, textColumns);
        }
        return builder.ToString().TrimEnd('\n', '\r');
    }

    /// <summary>A self-contained HTML table (inline styles only); a thin rule above the row indices in <paramref name="rulesBefore"/>.</summary>
    public static string Html(string? title, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows,
        IEnumerable<int>? rulesBefore = null, string? footnote = null, IReadOnlySet<int>? textColumns = null)
    {
        textColumns ??= LabelColumnOnly;
        var rules = new HashSet<int>(rulesBefore ?? []);
        var builder = new StringBuilder();
        builder.Append("<table style=\"border-collapse:collapse;font-family:sans-serif;font-size:13px\">");
        if (!string.IsNullOrEmpty(title))
            builder.Append("<caption style=\"text-align:left;font-weight:bold;padding:4px\">").Append(WebUtility.HtmlEncode(title)).Append("</caption>");
        builder.Append("<thead><tr>");
        for (int c = 0; c < header.Count; c++)
            builder.Append("<th style=\"border-bottom:2px solid #444;padding:3px 8px;text-align:")
                .Append(textColumns.Contains(c) ? "left" : "right").Append("\">").Append(WebUtility.HtmlEncode(header[c])).Append("</th>");
        builder.Append("</tr></thead><tbody>");
        int index = 0;
        foreach (var row in rows)
        {
            string border = rules.Contains(index) ? "border-top:1px solid #888;" : "";
            builder.Append("<tr>");
            for (int c = 0; c < row.Count; c++)
                builder.Append("<td style=\"").Append(border).Append("padding:3px 8px;text-align:")
                    .Append(textColumns.Contains(c) ? "left" : "right").Append("\">").Append(WebUtility.HtmlEncode(row[c])).Append("</td>");
            builder.Append("</tr>");
            index++;
        }
        builder.Append("</tbody></table>");
        if (!string.IsNullOrEmpty(footnote))
            builder.Append("<div style=\"font-family:sans-serif;font-size:12px;color:#555\">").Append(WebUtility.HtmlEncode(footnote)).Append("</div>");
        return builder.ToString();
    }

    private static readonly HashSet<int> LabelColumnOnly = [0];

    private static void AppendLine(StringBuilder builder, IReadOnlyList<string> cells, int[] widths, IReadOnlySet<int> textColumns)
    {
        var line = new StringBuilder();
        for (int c = 0; c < cells.Count; c++)
        {
            if (c > 0) line.Append("  ");
            line.Append(textColumns.Contains(c) ? cells[c].PadRight(widths[c]) : cells[c].PadLeft(widths[c]));
        }
        builder.AppendLine(line.ToString().TrimEnd());
    }
}
