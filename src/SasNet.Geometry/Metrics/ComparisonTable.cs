namespace SasNet.Geometry;

/// <summary>One labelled row of a <see cref="ComparisonTable"/>: a value per column and an optional ± spread per column.</summary>
/// <param name="Label">Row label, e.g. "paper (LA, full scale, GPU)" or "this run (phantoms, quick scale)".</param>
/// <param name="Values">One value per column; NaN shows as "—" (not reported).</param>
/// <param name="Spreads">Optional ± value per column (e.g. a standard deviation); NaN entries are omitted.</param>
public sealed record ComparisonRow(string Label, IReadOnlyList<double> Values, IReadOnlyList<double>? Spreads = null);

/// <summary>
/// A small table that puts labelled rows side by side under shared columns, typically the paper's
/// numbers (Tables 1–11) next to this run's. Any columns work; <see cref="ForSegmentation"/> sets up the
/// paper's Dice/Jaccard/HD95/ASD layout and <see cref="AddRow(string, MetricsTable)"/> fills a row from
/// an evaluation. Text rendering via <see cref="ToString"/>, HTML via <see cref="ToHtml"/>.
/// </summary>
public sealed class ComparisonTable
{
    private readonly List<ComparisonRow> _rows = [];
    private readonly List<int> _rulesBefore = [];
    private readonly bool _segmentationLayout;

    /// <summary>A table with the given caption and column headers (the label column comes first, unnamed).</summary>
    public ComparisonTable(string? title, params string[] columns) : this(title, columns, segmentationLayout: false) { }

    private ComparisonTable(string? title, string[] columns, bool segmentationLayout)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Length == 0) throw new ArgumentException("a comparison table needs at least one column", nameof(columns));
        Title = title;
        Columns = columns;
        _segmentationLayout = segmentationLayout;
    }

    /// <summary>Columns "Dice (%)", "Jaccard (%)", "HD95 (unit)", "ASD (unit)" as in the paper's tables.</summary>
    public static ComparisonTable ForSegmentation(string? title = null, string distanceUnit = "voxels") =>
        new(title, ["Dice (%)", "Jaccard (%)", $"HD95 ({distanceUnit})", $"ASD ({distanceUnit})"], segmentationLayout: true);

    /// <summary>Caption shown above the table.</summary>
    public string? Title { get; }

    /// <summary>Column headers after the label column.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Rows in the order added.</summary>
    public IReadOnlyList<ComparisonRow> Rows => _rows;

    /// <summary>Adds a row of plain values, one per column. Returns this table for chaining.</summary>
    public ComparisonTable AddRow(string label, params double[] values) => AddRow(label, values, null);

    /// <summary>Adds a row with values and optional ± spreads, one of each per column.</summary>
    public ComparisonTable AddRow(string label, IReadOnlyList<double> values, IReadOnlyList<double>? spreads)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != Columns.Count)
            throw new ArgumentException($"row '{label}' has {values.Count} values for {Columns.Count} columns", nameof(values));
        if (spreads is not null && spreads.Count != Columns.Count)
            throw new ArgumentException($"row '{label}' has {spreads.Count} spreads for {Columns.Count} columns", nameof(spreads));
        _rows.Add(new ComparisonRow(label, values.ToArray(), spreads?.ToArray()));
        return this;
    }

    /// <summary>
    /// Adds the mean ± std of an evaluation as Dice %, Jaccard %, HD95, ASD. Only for tables made by
    /// <see cref="ForSegmentation"/>.
    /// </summary>
    public ComparisonTable AddRow(string label, MetricsTable run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!_segmentationLayout)
            throw new ArgumentException("rows from a MetricsTable need the Dice/Jaccard/HD95/ASD layout of ComparisonTable.ForSegmentation", nameof(run));
        var mean = run.Mean;
        var std = run.StandardDeviation;
        return AddRow(label,
            [100 * mean.Dice, 100 * mean.Jaccard, mean.Hd95, mean.Asd],
            [100 * std.Dice, 100 * std.Jaccard, std.Hd95, std.Asd]);
    }

    /// <summary>Draws a rule before the next row added (to separate groups such as paper vs this run).</summary>
    public ComparisonTable AddSeparator()
    {
        _rulesBefore.Add(_rows.Count);
        return this;
    }

    /// <summary>Aligned text table.</summary>
    public override string ToString() => TableRendering.Text(Title, Header(), Cells(), _rulesBefore);

    /// <summary>The same table as HTML.</summary>
    public string ToHtml() => TableRendering.Html(Title, Header(), Cells(), _rulesBefore);

    private string[] Header() => ["", .. Columns];

    private IEnumerable<IReadOnlyList<string>> Cells() => _rows.Select(row =>
    {
        var cells = new string[Columns.Count + 1];
        cells[0] = row.Label;
        for (int c = 0; c < Columns.Count; c++)
            cells[c + 1] = row.Spreads is null ? MetricsTable.Number(row.Values[c]) : MetricsTable.WithSpread(row.Values[c], row.Spreads[c]);
        return (IReadOnlyList<string>)cells;
    });
}
