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
/// Per-case metrics of one evaluation run plus their mean ± standard deviation over cases. Cases
/// scored by the empty convention (all zeros) are kept in the averages, as the published evaluations
/// do, and marked in the table. Text rendering via <see cref="ToString"/>, HTML via <see cref="ToHtml"/>
/// (notebooks display any object with a public <c>ToHtml()</c> as HTML).
/// </summary>
public sealed class MetricsTable
{
    private readonly List<CaseMetrics> _cases = [];

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
    public IReadOnlyList<CaseMetrics> Cases => _cases;

    /// <summary>How many cases were scored by the empty-prediction/empty-GT convention.</summary>
    public int EmptyConventionCount => _cases.Count(c => c.ScoredByEmptyConvention);

    /// <summary>Appends one case.</summary>
    public void Add(CaseMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _cases.Add(metrics);
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

    /// <summary>Aligned text table: one row per case, then mean ± std.</summary>
    public override string ToString() =>
        TableRendering.Text(Title, Header(), Rows(), [_cases.Count], TextColumns) + FootnoteLine();

    /// <summary>The same table as HTML.</summary>
    public string ToHtml() => TableRendering.Html(Title, Header(), Rows(), [_cases.Count], Footnote(), TextColumns);

    // The case label and the note are text; the metric columns are numbers.
    private static readonly HashSet<int> TextColumns = [0, 6];

    private MetricSummary Summarise(Func<IReadOnlyList<double>, double> reduce) => new(
        reduce(_cases.Select(c => c.Dice).ToList()),
        reduce(_cases.Select(c => c.Jaccard).ToList()),
        reduce(_cases.Select(c => c.Hd95).ToList()),
        reduce(_cases.Select(c => c.Asd).ToList()),
        reduce(_cases.Select(c => c.Assd).ToList()));

    private string[] Header() =>
        ["case", "Dice (%)", "Jaccard (%)", $"HD95 ({DistanceUnit})", $"ASD ({DistanceUnit})", $"ASSD ({DistanceUnit})", "note"];

    private IEnumerable<IReadOnlyList<string>> Rows()
    {
        for (int i = 0; i < _cases.Count; i++)
        {
            var c = _cases[i];
            string name = string.IsNullOrEmpty(c.Case) ? (i + 1).ToString(CultureInfo.InvariantCulture) : c.Case;
            string note = (c.PredictionEmpty, c.GroundTruthEmpty) switch
            {
                (true, true) => "empty pred + GT → 0",
                (true, false) => "empty pred → 0",
                (false, true) => "empty GT → 0",
                _ => "",
            };
            yield return [name, Number(100 * c.Dice), Number(100 * c.Jaccard), Number(c.Hd95), Number(c.Asd), Number(c.Assd), note];
        }
        var mean = Mean;
        var std = StandardDeviation;
        yield return [$"mean ± std (n={_cases.Count})",
            WithSpread(100 * mean.Dice, 100 * std.Dice), WithSpread(100 * mean.Jaccard, 100 * std.Jaccard),
            WithSpread(mean.Hd95, std.Hd95), WithSpread(mean.Asd, std.Asd), WithSpread(mean.Assd, std.Assd), ""];
    }

    private string? Footnote() => EmptyConventionCount == 0 ? null :
        $"{EmptyConventionCount} case(s) had an empty prediction or ground truth and score 0 on every metric (published-evaluation convention); they are included in the mean.";

    private string FootnoteLine() => Footnote() is { } text ? Environment.NewLine + text : "";

    internal static string Number(double value) =>
        double.IsNaN(value) ? "—" : value.ToString("F2", CultureInfo.InvariantCulture);

    internal static string WithSpread(double value, double spread) =>
        double.IsNaN(spread) ? Number(value) : $"{Number(value)} ± {Number(spread)}";
}
