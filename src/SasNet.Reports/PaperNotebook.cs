using System.Globalization;
using SasNet.Data.Datasets;
using Plotly.NET;
using SasNet.Experiments;
using SasNet.Plots.Builders;
using SasNet.Plots.Export;
using SasNet.Plots.Rendering;
using SasNet.Training;

namespace SasNet.Reports;

/// <summary>
/// What every notebook of the kit shares, from its three switches (scale, dataset root, device): the experiment
/// defaults, cached training with progress lines, and this run's numbers set beside the paper's in tables, bar
/// charts and curves, labelled "paper (LA, full scale, GPU)" vs "this run (phantoms, quick scale)".
/// </summary>
public sealed class PaperNotebook
{
    /// <summary>Label of the paper's rows.</summary>
    public const string PaperLabel = "paper (LA, full scale, GPU)";

    /// <summary>Reads the notebook switches.</summary>
    /// <param name="scale">"Smoke", "Quick" or "Paper".</param>
    /// <param name="dataRoot">Empty for the built-in phantoms; otherwise the LA dataset root.</param>
    /// <param name="device">"cpu", "cuda" or "cuda:N".</param>
    public PaperNotebook(string scale, string dataRoot, string device)
    {
        if (!Enum.TryParse<ExperimentScale>(scale, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            throw new ArgumentException($"Scale must be Smoke, Quick or Paper, got '{scale}'", nameof(scale));
        Scale = parsed;
        DataRoot = dataRoot ?? "";
        Dataset = string.IsNullOrWhiteSpace(DataRoot) ? DatasetKind.Phantoms : DatasetKind.LA;
        if (Dataset == DatasetKind.LA && !Directory.Exists(DataRoot))
            throw new DirectoryNotFoundException($"DataRoot '{DataRoot}' does not exist (leave it empty for the built-in phantoms)");
        Device = device;
        RunLabel = $"this run ({(Dataset == DatasetKind.Phantoms ? "phantoms" : "LA")}, {Scale.ToString().ToLowerInvariant()} scale)";
    }

    /// <summary>The scale of every experiment of the notebook.</summary>
    public ExperimentScale Scale { get; }
    /// <summary>Phantoms, or LA when a root was given.</summary>
    public DatasetKind Dataset { get; }
    /// <summary>The dataset root ("" for phantoms).</summary>
    public string DataRoot { get; }
    /// <summary>Training device.</summary>
    public string Device { get; }
    /// <summary>Label of this run's rows, e.g. "this run (phantoms, quick scale)".</summary>
    public string RunLabel { get; }
    /// <summary>The metric columns of the paper's tables.</summary>
    public IReadOnlyList<string> MetricColumns { get; } = ["Dice %", "Jaccard %", "HD95 (voxels)", "ASD (voxels)"];

    /// <summary>The scale's defaults for a method on this notebook's data and device; ablations change fields with <c>with { … }</c>.</summary>
    public ExperimentConfig Config(TrainingMethod method) =>
        ExperimentConfig.Create(method, Scale, Dataset) with { DataRoot = Dataset == DatasetKind.Phantoms ? null : DataRoot, Device = Device };

    /// <summary>Trains a configuration, or loads it from the cache when any notebook trained it before; prints progress lines.</summary>
    public ExperimentResult Train(string what, ExperimentConfig config)
    {
        Console.WriteLine($"▶ {what}");
        var result = Experiment.Run(config, new ExperimentOptions(Progress: ProgressReporters.Lines(Console.Out, reports: 4)));
        Console.WriteLine($"  {result}");
        return result;
    }

    /// <summary>A signed difference as printed in comparisons: "+0.42", "-1.30", "±0.00"; "NaN" when missing.</summary>
    public static string Delta(double? value, string digits = "0.00") =>
        (value is null ? double.NaN : value == 0 ? 0.0 : value.Value).ToString($"+{digits};-{digits};±{digits}", CultureInfo.InvariantCulture);

    /// <summary>Mean test metrics as the paper prints them: Dice and Jaccard in %, HD95 and ASD in voxels.</summary>
    public static double?[] Numbers(ExperimentResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var m = run.TestMetrics.Mean;
        return [100 * m.Dice, 100 * m.Jaccard, m.Hd95, m.Asd];
    }

    /// <summary>A table of the rows (label, the paper's numbers or null, the run), the paper's numbers beside this run's.</summary>
    public PaperComparisonTable Compare(string title, IEnumerable<(string Row, double?[]? Paper, ExperimentResult Run)> rows)
    {
        var table = new PaperComparisonTable(title, MetricColumns, PaperLabel, RunLabel);
        foreach (var (row, paper, run) in rows) table.Add(row, paper, Numbers(run));
        return table;
    }

    /// <summary>
    /// Dice (%) of every row as grouped bars (<see cref="BarCharts.Grouped"/>): the paper's beside this run's, this run's
    /// with ± the standard deviation over the test cases; rows the paper does not report have no paper bar.
    /// </summary>
    public GenericChart DiceBars(string title, IReadOnlyList<(string Row, double?[]? Paper, ExperimentResult Run)> rows) =>
        BarCharts.Grouped(rows.Select(r => r.Row).ToList(),
            [new BarSeries(PaperLabel, rows.Select(r => r.Paper?[0] ?? double.NaN).ToList()),
             new BarSeries(RunLabel, rows.Select(r => 100 * r.Run.TestMetrics.Mean.Dice).ToList(),
                           rows.Select(r => 100 * r.Run.TestMetrics.StandardDeviation.Dice).ToList())],
            title, "Dice (%)", "0.0");

    /// <summary>Validation Dice against iteration, one line of a <see cref="TrainingCurves"/> figure.</summary>
    public static CurveSeries ValidationCurve(string name, ExperimentResult run) =>
        new(name, run.History.Validations.Select(v => (double)v.Iteration).ToList(), run.History.Validations.Select(v => v.Dice).ToList());

    /// <summary>
    /// Saves a chart into the output folder (the runner's, or ./figures) as <c>name.html</c>, an interactive page that
    /// works offline, and <c>name.png</c>, <paramref name="width"/>×<paramref name="height"/> pixels. Without Chromium
    /// the PNG is skipped with a message.
    /// </summary>
    public static void SaveFigure(GenericChart chart, string name, int width = 1000, int height = 600)
    {
        ArgumentNullException.ThrowIfNull(chart);
        ChartFiles.SaveHtml(chart, FigureOutput.PathFor(name + ".html"));
        try
        {
            ChartFiles.SavePng(chart, FigureOutput.PathFor(name + ".png"), width, height);
            Console.WriteLine($"saved {name}.html and {name}.png in {FigureOutput.Directory}");
        }
        catch (ChromiumNotFoundException e)
        {
            Console.WriteLine($"saved {name}.html in {FigureOutput.Directory}; {name}.png not written: {e.Message}");
        }
    }
}
