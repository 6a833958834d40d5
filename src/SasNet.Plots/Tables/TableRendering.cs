using System.Net;
using System.Text;

namespace SasNet.Plots.Tables;

/// <summary>
/// The one renderer of the kit's tables (<see cref="ComparisonTable"/>): aligned text and self-contained HTML. Columns,
/// left to right: the group (when <see cref="ComparisonTable.GroupHeader"/> is set; shown once per run of rows of the
/// same group, as a row-spanning cell in HTML), the label, one per value column, the note (when
/// <see cref="ComparisonTable.NoteHeader"/> is set). Text columns are left-aligned, numbers right-aligned; a rule goes
/// under the header and above every row in <see cref="ComparisonTable.RulesBefore"/>.
/// </summary>
internal static class TableRendering
{
    private const string Muted = "color:#57606a";

    public static string Text(ComparisonTable table)
    {
        var header = Header(table);
        var rows = Enumerable.Range(0, table.Rows.Count).Select(r => TextCells(table, r)).ToList();
        var leftAligned = TextColumns(table, header.Count);
        var widths = new int[header.Count];
        for (int c = 0; c < header.Count; c++)
        {
            widths[c] = header[c].Length;
            foreach (var row in rows) widths[c] = Math.Max(widths[c], row[c].Length);
        }
        var rules = new HashSet<int>(table.RulesBefore);
        var builder = new StringBuilder();
        if (!string.IsNullOrEmpty(table.Title)) builder.AppendLine(table.Title);
        AppendLine(builder, header, widths, leftAligned);
        string rule = new('-', widths.Sum() + 2 * (widths.Length - 1));
        builder.AppendLine(rule);
        for (int r = 0; r < rows.Count; r++)
        {
            if (rules.Contains(r)) builder.AppendLine(rule);
            AppendLine(builder, rows[r], widths, leftAligned);
        }
        var text = builder.ToString().TrimEnd('\n', '\r');
        return string.IsNullOrEmpty(table.Footnote) ? text : text + Environment.NewLine + table.Footnote;
    }

    public static string Html(ComparisonTable table)
    {
        var header = Header(table);
        var leftAligned = TextColumns(table, header.Count);
        var rules = new HashSet<int>(table.RulesBefore);
        var html = new StringBuilder();
        html.Append("<table style=\"border-collapse:collapse;font-family:sans-serif;font-size:13px\">");
        if (!string.IsNullOrEmpty(table.Title))
            html.Append("<caption style=\"text-align:left;font-weight:bold;padding:4px\">").Append(Encode(table.Title)).Append("</caption>");
        html.Append("<thead><tr>");
        for (int c = 0; c < header.Count; c++)
            html.Append("<th style=\"border-bottom:2px solid #444;padding:3px 8px;text-align:")
                .Append(leftAligned.Contains(c) ? "left" : "right").Append("\">").Append(Encode(header[c])).Append("</th>");
        html.Append("</tr></thead><tbody>");
        for (int r = 0; r < table.Rows.Count; r++)
        {
            var row = table.Rows[r];
            string border = rules.Contains(r) ? "border-top:1px solid #888;" : "";
            string colour = row.Reference ? ";" + Muted : "";
            html.Append("<tr>");
            if (table.GroupHeader is not null && GroupSpan(table, r) is int span and > 0)
                html.Append("<td").Append(span > 1 ? $" rowspan=\"{span}\"" : "").Append(" style=\"").Append(border)
                    .Append("padding:3px 8px;text-align:left;font-weight:600;vertical-align:top\">").Append(Encode(row.Group ?? "")).Append("</td>");
            html.Append("<td style=\"").Append(border).Append("padding:3px 8px;text-align:left").Append(colour).Append("\">")
                .Append(Encode(row.Label)).Append("</td>");
            for (int c = 0; c < table.Columns.Count; c++)
            {
                html.Append("<td style=\"").Append(border).Append("padding:3px 8px;text-align:right").Append(colour).Append("\">")
                    .Append(EncodeNumber(table.FormatValue(row.Values[c])));
                if (table.FormatSpread(row, c) is { } spread)
                    html.Append("<span style=\"font-weight:400;").Append(Muted).Append("\"> ± ").Append(EncodeNumber(spread)).Append("</span>");
                html.Append("</td>");
            }
            if (table.NoteHeader is not null)
                html.Append("<td style=\"").Append(border).Append("padding:3px 8px;text-align:left").Append(colour).Append("\">")
                    .Append(Encode(row.Note ?? "")).Append("</td>");
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
        if (!string.IsNullOrEmpty(table.Footnote))
            html.Append("<div style=\"font-family:sans-serif;font-size:12px;color:#555\">").Append(Encode(table.Footnote)).Append("</div>");
        return html.ToString();
    }

    private static List<string> Header(ComparisonTable table)
    {
        var header = new List<string>();
        if (table.GroupHeader is not null) header.Add(table.GroupHeader);
        header.Add(table.LabelHeader);
        header.AddRange(table.Columns);
        if (table.NoteHeader is not null) header.Add(table.NoteHeader);
        return header;
    }

    // Group, label and note columns hold text; the value columns hold numbers.
    private static HashSet<int> TextColumns(ComparisonTable table, int count)
    {
        var text = new HashSet<int> { 0 };
        if (table.GroupHeader is not null) text.Add(1);
        if (table.NoteHeader is not null) text.Add(count - 1);
        return text;
    }

    // The text cells of row r, in header order: "value ± spread" where a row has a spread.
    private static List<string> TextCells(ComparisonTable table, int r)
    {
        var row = table.Rows[r];
        var cells = new List<string>();
        if (table.GroupHeader is not null) cells.Add(GroupSpan(table, r) > 0 ? row.Group ?? "" : "");
        cells.Add(row.Label);
        for (int c = 0; c < table.Columns.Count; c++)
            cells.Add(table.FormatValue(row.Values[c]) + (table.FormatSpread(row, c) is { } spread ? " ± " + spread : ""));
        if (table.NoteHeader is not null) cells.Add(row.Note ?? "");
        return cells;
    }

    // How many rows the group cell of row r spans: 0 when row r continues the group of the row above (same group, no
    // rule between them), else the length of the run of rows it starts.
    private static int GroupSpan(ComparisonTable table, int r)
    {
        bool Continues(int i) => i > 0 && table.Rows[i].Group is { } group && group == table.Rows[i - 1].Group && !table.RulesBefore.Contains(i);
        if (Continues(r)) return 0;
        int span = 1;
        while (r + span < table.Rows.Count && Continues(r + span)) span++;
        return span;
    }

    private static void AppendLine(StringBuilder builder, IReadOnlyList<string> cells, int[] widths, IReadOnlySet<int> leftAligned)
    {
        var line = new StringBuilder();
        for (int c = 0; c < cells.Count; c++)
        {
            if (c > 0) line.Append("  ");
            line.Append(leftAligned.Contains(c) ? cells[c].PadRight(widths[c]) : cells[c].PadLeft(widths[c]));
        }
        builder.AppendLine(line.ToString().TrimEnd());
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    // Numbers and "—" come from the table's own format: only the characters HTML reserves are escaped.
    private static string EncodeNumber(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
