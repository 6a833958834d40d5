using System.Globalization;

namespace SasNet.Geometry;

/// <summary>Five metric values side by side: a mean or a standard deviation over cases.</summary>
/// <param name="Dice">Dice as a fraction.</param>
/// <param name="Jaccard">Jaccard as a fraction.</param>
/// <param name="Hd95">HD95 in the table's distance unit.</param>
/// <param name="Asd">ASD in the table's distance unit.</param>
/// <param name="Assd">ASSD in the table's distance unit.</param>
public readonly record struct MetricSummary(double Dice, double Jaccard, double Hd95, double Asd, double Assd);

/// <summary>
/// Per-case metrics of one evaluation run plus their mean ± population standard deviation over cases (docs/method.md
/// §8). Cases scored by the empty convention (all zeros) are kept in the averages, as the published evaluations do.
/// The values only: tables of them, as text or HTML, are drawn by the presentation layer
/// (<c>SasNet.Plots.Tables.ComparisonTable</c>).
/// </summary>
public sealed class MetricsTable
{
    private readonly List<CaseMetrics> cases = [];

    /// <summary>An empty table.</summary>
    /// <param name="title">Caption shown above the table.</param>
    /// <param name="distanceUnit">Unit of HD95/ASD/ASSD, shown in the header ("voxels" or e.g. "mm").</param>
    public MetricsTable(string? title = null, string distanceUnit = "voxels")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(distanceUnit);
        Title = title;
        DistanceUnit = distanceUnit;
    }

    /// <summary>A table holding <paramref name="cases"/>.</summary>
    public MetricsTable(IEnumerable<CaseMetrics> cases, string? title = null, string distanceUnit = "voxels")
        : this(title, distanceUnit)
    {
        ArgumentNullException.ThrowIfNull(cases);
        foreach (var row in cases) Add(row);
    }

    /// <summary>Caption shown above the table.</summary>
    public string? Title { get; }

    /// <summary>Unit of the distance metrics.</summary>
    public string DistanceUnit { get; }

    /// <summary>The per-case rows in the order added.</summary>
    public IReadOnlyList<CaseMetrics> Cases => cases;

    /// <summary>How many cases were scored by the empty-prediction/empty-GT convention.</summary>
    public int EmptyConventionCount => cases.Count(c => c.ScoredByEmptyConvention);

    /// <summary>Appends one case.</summary>
    public void Add(CaseMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        cases.Add(metrics);
    }

    /// <summary>Mean of each metric over all cases (NaN when there are none).</summary>
    public MetricSummary Mean => Summarise(values => values.Count == 0 ? double.NaN : values.Average());

    /// <summary>Population standard deviation (numpy <c>std</c>, ddof = 0) of each metric over all cases.</summary>
    public MetricSummary StandardDeviation => Summarise(values =>
    {
        if (values.Count == 0) return double.NaN;
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
    });

    /// <summary>
    /// A one-line summary: title, case count and mean ± std of Dice %, Jaccard %, HD95 and ASD. The per-case table (text
    /// and HTML) is the presentation layer's <c>SasNet.Plots.Tables.ComparisonTable.PerCase</c>.
    /// </summary>
    public override string ToString()
    {
        var mean = Mean;
        var std = StandardDeviation;
        string F(double value) => value.ToString("F2", CultureInfo.InvariantCulture);
        var empty = EmptyConventionCount == 0 ? "" : $" ({EmptyConventionCount} scored 0 by the empty convention)";
        return $"{(string.IsNullOrEmpty(Title) ? "metrics" : Title)}: {cases.Count} cases, Dice {F(100 * mean.Dice)} ± {F(100 * std.Dice)} %, " +
            $"Jaccard {F(100 * mean.Jaccard)} ± {F(100 * std.Jaccard)} %, HD95 {F(mean.Hd95)} ± {F(std.Hd95)} {DistanceUnit}, " +
            $"ASD {F(mean.Asd)} ± {F(std.Asd)} {DistanceUnit}{empty}";
    }

    private MetricSummary Summarise(Func<IReadOnlyList<double>, double> reduce) => new(
        reduce(cases.Select(c => c.Dice).ToList()),
        reduce(cases.Select(c => c.Jaccard).ToList()),
        reduce(cases.Select(c => c.Hd95).ToList()),
        reduce(cases.Select(c => c.Asd).ToList()),
        reduce(cases.Select(c => c.Assd).ToList()));
}
