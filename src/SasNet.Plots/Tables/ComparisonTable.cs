using System.Globalization;
using SasNet.Geometry;

namespace SasNet.Plots.Tables;

/// <summary>One labelled row of a <see cref="ComparisonTable"/>: a value per column and an optional ± spread per column.</summary>
/// <param name="Label">Row label, e.g. "paper (LA, full scale, GPU)" or "this run (phantoms, quick scale)".</param>
/// <param name="Values">One value per column; a non-finite value shows as "—" (not reported).</param>
/// <param name="Spreads">Optional ± value per column (e.g. a standard deviation); non-finite entries are omitted.</param>
public sealed record ComparisonRow(string Label, IReadOnlyList<double> Values, IReadOnlyList<double>? Spreads = null)
{
    /// <summary>
    /// The group the row belongs to (e.g. the method whose paper and run rows follow each other), shown in the
    /// <see cref="ComparisonTable.GroupHeader"/> column once for each run of consecutive rows of the same group.
    /// </summary>
    public string? Group { get; init; }

    /// <summary>A reference row (the paper's numbers beside this run's): drawn in grey in HTML.</summary>
    public bool Reference { get; init; }

    /// <summary>Text of the <see cref="ComparisonTable.NoteHeader"/> column (e.g. why a case scores 0).</summary>
    public string? Note { get; init; }
}

/// <summary>
/// The kit's one results table: labelled rows of numbers side by side under shared columns, typically the paper's
/// numbers (Tables 1–11) next to this run's, or one row per test case. Any columns work; <see cref="ForSegmentation"/>
/// sets up the paper's Dice/Jaccard/HD95/ASD layout, <see cref="AddRow(string, MetricsTable)"/> fills a row from an
/// evaluation's mean ± std, and <see cref="PerCase"/> lists an evaluation case by case. Rendered as aligned text by
/// <see cref="ToString"/> and as an HTML <c>&lt;table&gt;</c> by <see cref="ToHtml"/> (what a notebook displays), both
/// by the one renderer of <see cref="TableRendering"/>. <see cref="PaperComparisonTable"/> builds its tables on it.
/// </summary>
public sealed class ComparisonTable
{
    private readonly List<ComparisonRow> rows = [];
    private readonly List<int> rulesBefore = [];
    private readonly bool segmentationLayout;

    /// <summary>A table with the given caption and column headers (the label column comes first).</summary>
    public ComparisonTable(string? title, params string[] columns) : this(title, columns, segmentationLayout: false) { }

    private ComparisonTable(string? title, string[] columns, bool segmentationLayout)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Length == 0) throw new ArgumentException("a comparison table needs at least one column", nameof(columns));
        Title = title;
        Columns = columns;
        this.segmentationLayout = segmentationLayout;
    }

    /// <summary>Columns "Dice (%)", "Jaccard (%)", "HD95 (unit)", "ASD (unit)" as in the paper's tables.</summary>
    public static ComparisonTable ForSegmentation(string? title = null, string distanceUnit = "voxels") =>
        new(title, ["Dice (%)", "Jaccard (%)", $"HD95 ({distanceUnit})", $"ASD ({distanceUnit})"], segmentationLayout: true);

    /// <summary>
    /// An evaluation case by case (docs/method.md §8): one row per case with Dice %, Jaccard %, HD95, ASD and ASSD and a
    /// note for cases scored 0 by the empty convention, then a rule and the mean ± standard deviation over all cases;
    /// a footnote counts the empty-convention cases, which the means include as the published evaluations do.
    /// </summary>
    public static ComparisonTable PerCase(MetricsTable metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        string unit = metrics.DistanceUnit;
        int empty = metrics.EmptyConventionCount;
        var table = new ComparisonTable(metrics.Title, "Dice (%)", "Jaccard (%)", $"HD95 ({unit})", $"ASD ({unit})", $"ASSD ({unit})")
        {
            LabelHeader = "case",
            NoteHeader = "note",
            Footnote = empty == 0 ? null :
                $"{empty} case(s) had an empty prediction or ground truth and score 0 on every metric (published-evaluation convention); they are included in the mean.",
        };
        for (int i = 0; i < metrics.Cases.Count; i++)
        {
            var c = metrics.Cases[i];
            string note = (c.PredictionEmpty, c.GroundTruthEmpty) switch
            {
                (true, true) => "empty pred + GT → 0",
                (true, false) => "empty pred → 0",
                (false, true) => "empty GT → 0",
                _ => "",
            };
            string name = string.IsNullOrEmpty(c.Case) ? (i + 1).ToString(CultureInfo.InvariantCulture) : c.Case;
            table.Add(new ComparisonRow(name, [100 * c.Dice, 100 * c.Jaccard, c.Hd95, c.Asd, c.Assd]) { Note = note });
        }
        var mean = metrics.Mean;
        var std = metrics.StandardDeviation;
        return table.AddSeparator().AddRow($"mean ± std (n={metrics.Cases.Count})",
            [100 * mean.Dice, 100 * mean.Jaccard, mean.Hd95, mean.Asd, mean.Assd],
            [100 * std.Dice, 100 * std.Jaccard, std.Hd95, std.Asd, std.Assd]);
    }

    /// <summary>Caption shown above the table.</summary>
    public string? Title { get; }

    /// <summary>Column headers after the label column.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Header of the label column (empty by default; "case" for <see cref="PerCase"/>).</summary>
    public string LabelHeader { get; init; } = "";

    /// <summary>When set, a first column with this header shows each row's <see cref="ComparisonRow.Group"/>.</summary>
    public string? GroupHeader { get; init; }

    /// <summary>When set, a last text column with this header shows each row's <see cref="ComparisonRow.Note"/>.</summary>
    public string? NoteHeader { get; init; }

    /// <summary>A remark printed under the table, if any.</summary>
    public string? Footnote { get; init; }

    /// <summary>Number format for values and spreads (a .NET format string, default two decimals).</summary>
    public string Format { get; init; } = "0.00";

    /// <summary>Rows in the order added.</summary>
    public IReadOnlyList<ComparisonRow> Rows => rows;

    /// <summary>Indices of the rows that have a rule drawn above them (<see cref="AddSeparator"/>).</summary>
    public IReadOnlyList<int> RulesBefore => rulesBefore;

    /// <summary>Adds a row of plain values, one per column. Returns this table for chaining.</summary>
    public ComparisonTable AddRow(string label, params double[] values) => AddRow(label, values, null);

    /// <summary>Adds a row with values and optional ± spreads, one of each per column.</summary>
    public ComparisonTable AddRow(string label, IReadOnlyList<double> values, IReadOnlyList<double>? spreads) =>
        Add(new ComparisonRow(label, values, spreads));

    /// <summary>
    /// Adds the mean ± std of an evaluation as Dice %, Jaccard %, HD95, ASD. Only for tables made by
    /// <see cref="ForSegmentation"/>.
    /// </summary>
    public ComparisonTable AddRow(string label, MetricsTable run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!segmentationLayout)
            throw new ArgumentException("rows from a MetricsTable need the Dice/Jaccard/HD95/ASD layout of ComparisonTable.ForSegmentation", nameof(run));
        var mean = run.Mean;
        var std = run.StandardDeviation;
        return AddRow(label,
            [100 * mean.Dice, 100 * mean.Jaccard, mean.Hd95, mean.Asd],
            [100 * std.Dice, 100 * std.Jaccard, std.Hd95, std.Asd]);
    }

    /// <summary>Adds a row (with its group, reference flag and note), checking one value and spread per column.</summary>
    public ComparisonTable Add(ComparisonRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(row.Label, nameof(row));
        ArgumentNullException.ThrowIfNull(row.Values, nameof(row));
        if (row.Values.Count != Columns.Count)
            throw new ArgumentException($"row '{row.Label}' has {row.Values.Count} values for {Columns.Count} columns", nameof(row));
        if (row.Spreads is not null && row.Spreads.Count != Columns.Count)
            throw new ArgumentException($"row '{row.Label}' has {row.Spreads.Count} spreads for {Columns.Count} columns", nameof(row));
        rows.Add(row with { Values = row.Values.ToArray(), Spreads = row.Spreads?.ToArray() });
        return this;
    }

    /// <summary>Draws a rule before the next row added (to separate groups such as paper vs this run).</summary>
    public ComparisonTable AddSeparator()
    {
        rulesBefore.Add(rows.Count);
        return this;
    }

    /// <summary>Aligned text table: labels and notes left-aligned, numbers right-aligned, "value ± spread".</summary>
    public override string ToString() => TableRendering.Text(this);

    /// <summary>The same table as a self-contained HTML <c>&lt;table&gt;</c> (inline styles only).</summary>
    public string ToHtml() => TableRendering.Html(this);

    /// <summary>A value in <see cref="Format"/>, or "—" when it is not finite (not reported).</summary>
    internal string FormatValue(double value) =>
        double.IsFinite(value) ? value.ToString(Format, CultureInfo.InvariantCulture) : "—";

    /// <summary>The spread of a row's column in <see cref="Format"/>, or null when there is none to show.</summary>
    internal string? FormatSpread(ComparisonRow row, int column) =>
        row.Spreads is { } spreads && double.IsFinite(spreads[column]) ? spreads[column].ToString(Format, CultureInfo.InvariantCulture) : null;
}
