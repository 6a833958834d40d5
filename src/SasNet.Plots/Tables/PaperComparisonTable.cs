namespace SasNet.Plots.Tables;

/// <summary>
/// This run's numbers next to the paper's for the same rows (e.g. methods), each source clearly labelled
/// ("paper (LA, full scale, GPU)" vs "this run (phantoms, quick scale)"). A builder over <see cref="ComparisonTable"/>:
/// <see cref="ToTable"/> gives, per row, a grey reference line with the paper's numbers and a line with this run's
/// (± their spread), grouped under the row's name; <see cref="ToHtml"/> and <see cref="ToString"/> render that table.
/// </summary>
public sealed class PaperComparisonTable
{
    private readonly List<(string Row, double[] Paper, double[] Run, double[]? Spread)> rows = [];

    /// <summary>A table with the given metric columns.</summary>
    public PaperComparisonTable(string title, IReadOnlyList<string> metrics,
        string paperLabel = "paper (LA, full scale, GPU)", string runLabel = "this run (phantoms, quick scale)")
    {
        ArgumentNullException.ThrowIfNull(metrics);
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
        ArgumentNullException.ThrowIfNull(row);
        rows.Add((row, Values(paper, row, "paper"), Values(run, row, "run"), runSpread is null ? null : Values(runSpread, row, "spread")));
        return this;
    }

    /// <summary>Adds a row from plain arrays.</summary>
    public PaperComparisonTable Add(string row, double[]? paper, double[]? run) =>
        Add(row, paper?.Select(v => (double?)v).ToArray(), run?.Select(v => (double?)v).ToArray());

    /// <summary>
    /// The table: columns "method", "source" and the metrics; per row a reference line with the paper's numbers and a
    /// line with this run's; missing values show as "—".
    /// </summary>
    public ComparisonTable ToTable()
    {
        var table = new ComparisonTable(Title, [.. Metrics]) { GroupHeader = "method", LabelHeader = "source", Format = Format };
        foreach (var (row, paper, run, spread) in rows)
        {
            table.Add(new ComparisonRow(PaperLabel, paper) { Group = row, Reference = true });
            table.Add(new ComparisonRow(RunLabel, run, spread) { Group = row });
        }
        return table;
    }

    /// <summary>The table as HTML (<see cref="ComparisonTable.ToHtml"/>).</summary>
    public string ToHtml() => ToTable().ToHtml();

    /// <summary>The table as aligned text (<see cref="ComparisonTable.ToString"/>).</summary>
    public override string ToString() => ToTable().ToString();

    // Missing values (null, or no list at all) become NaN, which the table shows as "—".
    private double[] Values(IReadOnlyList<double?>? values, string row, string side)
    {
        if (values is null) return Enumerable.Repeat(double.NaN, Metrics.Count).ToArray();
        if (values.Count != Metrics.Count)
            throw new ArgumentException($"row '{row}' ({side}) has {values.Count} values for {Metrics.Count} metrics");
        return values.Select(v => v ?? double.NaN).ToArray();
    }
}
