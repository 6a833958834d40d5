using System.Globalization;
using System.Net;
using System.Text;

namespace SasNet.Plots.Builders;

/// <summary>
/// A results table that puts this run's numbers next to the paper's for the same rows, each source clearly
/// labelled (e.g. "paper (LA, full scale, GPU)" vs "this run (phantoms, quick scale)"). It is a table, not a chart:
/// <see cref="ToHtml"/> renders it as an HTML <c>&lt;table&gt;</c> (what a notebook displays) and
/// <see cref="ToString"/> as aligned plain text.
/// </summary>
public sealed class PaperComparisonTable
{
    private readonly List<(string Row, double?[] Paper, double?[] Run, double?[]? Spread)> _rows = [];

    /// <summary>A table with the given metric columns.</summary>
    public PaperComparisonTable(string title, IReadOnlyList<string> metrics,
        string paperLabel = "paper (LA, full scale, GPU)", string runLabel = "this run (phantoms, quick scale)")
    {
        if (metrics.Count == 0) throw new ArgumentException("give at least one metric column", nameof(metrics));
        Title = title;
        Metrics = metrics;
        PaperLabel = paperLabel;
        RunLabel = runLabel;
    }

    /// <summary>Caption.</summary>
    public string Title { get; }

    /// <summary>Metric column names (e.g. "Dice %", "Jaccard %", "HD95", "ASD").</summary>
    public IReadOnlyList<string> Metrics { get; }

    /// <summary>How the paper's numbers are labelled.</summary>
    public string PaperLabel { get; }

    /// <summary>How this run's numbers are labelled.</summary>
    public string RunLabel { get; }

    /// <summary>Number format for the values (a .NET format string).</summary>
    public string Format { get; init; } = "0.00";

    /// <summary>
    /// Adds a row; either side may be null (not reported) and single values may be null. <paramref name="runSpread"/>,
    /// when given, is shown after each of this run's values as "± spread" (e.g. the standard deviation over seeds).
    /// </summary>
    public PaperComparisonTable Add(string row, IReadOnlyList<double?>? paper, IReadOnlyList<double?>? run, IReadOnlyList<double?>? runSpread = null)
    {
        _rows.Add((row, Normalise(paper, row, "paper"), Normalise(run, row, "run"), runSpread is null ? null : Normalise(runSpread, row, "spread")));
        return this;
    }

    /// <summary>Adds a row from plain arrays.</summary>
    public PaperComparisonTable Add(string row, double[]? paper, double[]? run) =>
        Add(row, paper?.Select(v => (double?)v).ToArray(), run?.Select(v => (double?)v).ToArray());

    /// <summary>
    /// An HTML <c>&lt;table&gt;</c> with the title as caption: per row, one line with the paper's numbers and one with
    /// this run's; missing values show as "—". Styled inline, so it needs no stylesheet.
    /// </summary>
    public string ToHtml()
    {
        var html = new StringBuilder();
        html.Append("<table class=\"sasnet-results\" style=\"border-collapse:collapse;font:13px system-ui,sans-serif;margin:6px 0\">\n");
        html.Append($"<caption style=\"caption-side:top;text-align:left;font-weight:600;padding:4px 0\">{Encode(Title)}</caption>\n");
        const string cell = "border:1px solid #d0d7de;padding:3px 10px";
        html.Append($"<thead><tr style=\"background:#f0f3f6\"><th style=\"{cell};text-align:left\">method</th><th style=\"{cell};text-align:left\">source</th>");
        foreach (var metric in Metrics) html.Append($"<th style=\"{cell};text-align:right\">{Encode(metric)}</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var (row, paper, run, spread) in _rows)
        {
            html.Append($"<tr><td rowspan=\"2\" style=\"{cell};font-weight:600\">{Encode(row)}</td>");
            html.Append($"<td style=\"{cell};color:#57606a\">{Encode(PaperLabel)}</td>");
            foreach (var value in paper) html.Append($"<td style=\"{cell};text-align:right;color:#57606a\">{FormatValue(value)}</td>");
            html.Append("</tr>\n<tr>");
            html.Append($"<td style=\"{cell}\">{Encode(RunLabel)}</td>");
            for (int i = 0; i < run.Length; i++)
                html.Append($"<td style=\"{cell};text-align:right;font-weight:600\">{FormatValue(run[i])}{SpreadSuffix(spread, i, "<span style=\"font-weight:400;color:#57606a\"> ± ", "</span>")}</td>");
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
        return html.ToString();
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        int width = _rows.Any(r => r.Spread is not null) ? 18 : 10;
        var text = new StringBuilder().Append(Title).Append('\n').Append($"{"method",-28} {"source",-36}").AppendJoin(' ', Metrics.Select(m => m.PadLeft(width))).Append('\n');
        foreach (var (row, paper, run, spread) in _rows)
        {
            text.Append($"{row,-28} {PaperLabel,-36}").AppendJoin(' ', paper.Select(v => FormatValue(v).PadLeft(width))).Append('\n');
            text.Append($"{"",-28} {RunLabel,-36}").AppendJoin(' ', run.Select((v, i) => (FormatValue(v) + SpreadSuffix(spread, i, " ± ", "")).PadLeft(width))).Append('\n');
        }
        return text.ToString();
    }

    private double?[] Normalise(IReadOnlyList<double?>? values, string row, string side)
    {
        if (values is null) return new double?[Metrics.Count];
        if (values.Count != Metrics.Count)
            throw new ArgumentException($"row '{row}' ({side}) has {values.Count} values for {Metrics.Count} metrics");
        return values.ToArray();
    }

    private string SpreadSuffix(double?[]? spread, int column, string before, string after) =>
        spread?[column] is double s && double.IsFinite(s) ? before + s.ToString(Format, CultureInfo.InvariantCulture) + after : "";

    private string FormatValue(double? value) =>
        value is double v && double.IsFinite(v) ? v.ToString(Format, CultureInfo.InvariantCulture) : "—";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
