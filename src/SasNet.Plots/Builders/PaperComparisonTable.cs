using System.Globalization;
using System.Net;
using System.Text;
using SasNet.Plots.Figures;

namespace SasNet.Plots.Builders;

/// <summary>
/// A results table that puts this run's numbers next to the paper's for the same rows, each source clearly
/// labelled (e.g. "paper (LA, full scale, GPU)" vs "this run (phantoms, quick scale)"). Displaying it in a notebook
/// shows a plain HTML table; <see cref="ToFigure"/> gives the same as a plotly table.
/// </summary>
public sealed class PaperComparisonTable
{
    private readonly List<(string Row, double?[] Paper, double?[] Run)> _rows = [];

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

    /// <summary>Adds a row; either side may be null (not reported) and single values may be null.</summary>
    public PaperComparisonTable Add(string row, IReadOnlyList<double?>? paper, IReadOnlyList<double?>? run)
    {
        _rows.Add((row, Normalise(paper, row, "paper"), Normalise(run, row, "run")));
        return this;
    }

    /// <summary>Adds a row from plain arrays.</summary>
    public PaperComparisonTable Add(string row, double[]? paper, double[]? run) =>
        Add(row, paper?.Select(v => (double?)v).ToArray(), run?.Select(v => (double?)v).ToArray());

    /// <summary>An HTML table: per row, one line with the paper's numbers and one with this run's.</summary>
    public string ToHtml()
    {
        var html = new StringBuilder();
        html.Append("<table class=\"sasnet-results\" style=\"border-collapse:collapse;font:13px system-ui,sans-serif;margin:6px 0\">\n");
        html.Append($"<caption style=\"caption-side:top;text-align:left;font-weight:600;padding:4px 0\">{Encode(Title)}</caption>\n");
        const string cell = "border:1px solid #d0d7de;padding:3px 10px";
        html.Append($"<thead><tr style=\"background:#f0f3f6\"><th style=\"{cell};text-align:left\">method</th><th style=\"{cell};text-align:left\">source</th>");
        foreach (var metric in Metrics) html.Append($"<th style=\"{cell};text-align:right\">{Encode(metric)}</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var (row, paper, run) in _rows)
        {
            html.Append($"<tr><td rowspan=\"2\" style=\"{cell};font-weight:600\">{Encode(row)}</td>");
            html.Append($"<td style=\"{cell};color:#57606a\">{Encode(PaperLabel)}</td>");
            foreach (var value in paper) html.Append($"<td style=\"{cell};text-align:right;color:#57606a\">{FormatValue(value)}</td>");
            html.Append("</tr>\n<tr>");
            html.Append($"<td style=\"{cell}\">{Encode(RunLabel)}</td>");
            foreach (var value in run) html.Append($"<td style=\"{cell};text-align:right;font-weight:600\">{FormatValue(value)}</td>");
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
        return html.ToString();
    }

    /// <summary>The table as a plotly table figure.</summary>
    public Figure ToFigure()
    {
        var columns = new List<DataArray>
        {
            DataArray.Of(_rows.SelectMany(r => new[] { r.Row, "" })),
            DataArray.Of(_rows.SelectMany(_ => new[] { PaperLabel, RunLabel })),
        };
        for (int m = 0; m < Metrics.Count; m++)
        {
            int metric = m;
            columns.Add(DataArray.Of(_rows.SelectMany(r => new[] { FormatValue(r.Paper[metric]), FormatValue(r.Run[metric]) })));
        }
        var header = new[] { "method", "source" }.Concat(Metrics).Select(h => $"<b>{h}</b>");
        var figure = new Figure();
        figure.Add(new TableTrace
        {
            Header = new TableCells { Values = DataArray.Of(header), Align = "left", Fill = new FillStyle { Color = "#f0f3f6" } },
            Cells = new TableCells { Values = DataArray.OfArrays(columns), Align = "left", Height = 26 },
            ColumnWidth = DataArray.Of(new double[] { 2.2, 2.6 }.Concat(Enumerable.Repeat(1.0, Metrics.Count))),
        });
        figure.Layout = new Layout
        {
            Title = Title,
            Height = 120 + 52 * Math.Max(1, _rows.Count),
            Margin = new Margin { Left = 10, Right = 10, Top = 50, Bottom = 10 },
        };
        return figure;
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = new StringBuilder(Title).Append('\n');
        text.Append($"{"method",-28} {"source",-36}").AppendJoin(' ', Metrics.Select(m => $"{m,10}")).Append('\n');
        foreach (var (row, paper, run) in _rows)
        {
            text.Append($"{row,-28} {PaperLabel,-36}").AppendJoin(' ', paper.Select(v => $"{FormatValue(v),10}")).Append('\n');
            text.Append($"{"",-28} {RunLabel,-36}").AppendJoin(' ', run.Select(v => $"{FormatValue(v),10}")).Append('\n');
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

    private string FormatValue(double? value) =>
        value is double v && double.IsFinite(v) ? v.ToString(Format, CultureInfo.InvariantCulture) : "—";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
