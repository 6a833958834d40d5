using System.Globalization;
using SasNet.Data.Datasets;
using Plotly.NET;
using SasNet.Experiments;
using SasNet.Geometry;
using SasNet.Plots.Builders;
using SasNet.Plots.Export;
using SasNet.Plots.Rendering;
using SasNet.Plots.Tables;
using SasNet.Training;

namespace SasNet.Reports;

/// <summary>
/// What every notebook of the kit shares, from its four switches (scale, dataset, dataset root, device): the experiment
/// defaults, cached training with progress lines, and this run's numbers set beside the paper's rows for the same
/// dataset (LA's for the built-in phantoms, <see cref="PaperTables"/>) in tables, bar charts and curves, labelled e.g.
/// "paper (Pancreas-CT, full scale, GPU)" vs "this run (Pancreas-CT, paper scale)". With <see cref="Seeds"/> above one,
/// every row is trained once per seed and shown as the mean ± the standard deviation over the seeds.
/// </summary>
public sealed class PaperNotebook
{
    /// <summary>Reads and checks the notebook switches; each wrong switch throws with what it accepts.</summary>
    /// <param name="scale">"Smoke", "Quick" or "Paper".</param>
    /// <param name="dataset">"Phantoms" (built in), "LA", "Pancreas" or "BraTS".</param>
    /// <param name="dataRoot">Empty for the phantoms; otherwise the folder that holds the dataset in its published layout.</param>
    /// <param name="device">"cpu", "cuda" or "cuda:N".</param>
    /// <param name="seeds">Trainings per row, with seeds <c>Seed</c>, <c>Seed + 1</c>, …: 1 to <see cref="MaxSeeds"/>.</param>
    /// <exception cref="ArgumentException">An unknown scale, dataset or device, a DataRoot given for the phantoms, or none for a real dataset.</exception>
    /// <exception cref="DirectoryNotFoundException">The DataRoot, or the cases folder inside it, does not exist.</exception>
    /// <exception cref="FileNotFoundException">The DataRoot lacks the dataset's case lists.</exception>
    public PaperNotebook(string scale, string dataset, string dataRoot, string device, int seeds = 1)
    {
        if (seeds is < 1 or > MaxSeeds) throw new ArgumentException($"Seeds must lie in 1 … {MaxSeeds}, got {seeds}", nameof(seeds));
        Seeds = seeds;
        Scale = ParseName<ExperimentScale>(scale, nameof(scale), "Scale");
        Dataset = ParseName<DatasetKind>(dataset, nameof(dataset), "Dataset");
        DataRoot = dataRoot ?? "";
        CheckDataRoot(Dataset, DataRoot);
        if (TorchDevices.Problem(device ?? "") is { } deviceProblem)
            throw new ArgumentException($"Device: {deviceProblem}", nameof(device));
        Device = device!;
        PaperDataset = PaperTables.ComparedDataset(Dataset);
        PaperLabel = $"paper ({PaperTables.DatasetName(PaperDataset)}, full scale, GPU)";
        RunLabel = $"this run ({PaperTables.DatasetName(Dataset)}, {Scale.ToString().ToLowerInvariant()} scale)";
    }

    /// <summary>The most seeds a notebook trains per row.</summary>
    public const int MaxSeeds = 20;

    /// <summary>How many seeds each row is trained with; the first is the configuration's own <c>Seed</c>.</summary>
    public int Seeds { get; }

    /// <summary>The scale of every experiment of the notebook.</summary>
    public ExperimentScale Scale { get; }
    /// <summary>The data every experiment of the notebook trains and tests on.</summary>
    public DatasetKind Dataset { get; }
    /// <summary>The dataset whose paper rows this run is compared with: LA for the phantoms (the paper has no phantom rows), else <see cref="Dataset"/>.</summary>
    public DatasetKind PaperDataset { get; }
    /// <summary>The dataset root ("" for phantoms).</summary>
    public string DataRoot { get; }
    /// <summary>Training device.</summary>
    public string Device { get; }
    /// <summary>Label of the paper's rows, e.g. "paper (BraTS, full scale, GPU)".</summary>
    public string PaperLabel { get; }
    /// <summary>Label of this run's rows, e.g. "this run (phantoms, quick scale)" or "this run (BraTS, paper scale)".</summary>
    public string RunLabel { get; }
    /// <summary>The metric columns of the paper's tables.</summary>
    public IReadOnlyList<string> MetricColumns { get; } = ["Dice %", "Jaccard %", "HD95 (voxels)", "ASD (voxels)"];

    /// <summary>The paper's table of a kind for <see cref="PaperDataset"/>; index it by row name.</summary>
    public PaperTableRows Paper(PaperTableKind kind) => PaperTables.For(kind, Dataset);

    /// <summary>
    /// The scale's defaults for a method on this notebook's data and device; ablations change a part with <c>with</c>,
    /// e.g. <c>config with { Losses = config.Losses with { UsePlc = false } }</c>.
    /// </summary>
    public ExperimentConfig Config(TrainingMethod method)
    {
        var config = ExperimentConfig.Create(method, Scale, Dataset);
        return config with { Data = config.Data with { DataRoot = Dataset == DatasetKind.Phantoms ? null : DataRoot }, Device = Device };
    }

    /// <summary>The folder layout a real dataset's root must have, in words.</summary>
    public static string Layout(DatasetKind dataset) => dataset switch
    {
        DatasetKind.LA => $"the folder that holds '{DatasetCatalog.LaCasesFolder}/<ID>/mri_norm2.h5' (UA-MT preprocessing), " +
                          "with train.list and test.list beside it (the kit's own lists are used when they are missing)",
        DatasetKind.Pancreas => $"the folder that holds '{DatasetCatalog.PancreasCasesFolder}/<ID>_norm.h5' with train.list and test.list " +
                                "(or pancreas_train.list and pancreas_test.list) beside it",
        DatasetKind.BraTS => $"the folder that holds '{DatasetCatalog.BraTSCasesFolder}/<ID>.h5' with train.txt and test.txt (and val.txt) beside it",
        _ => "no folder: the phantoms are generated in the kit's cache",
    };

    /// <summary>
    /// How <see cref="Train"/> shows a training's progress, given what is trained: by default a bar on a terminal or a
    /// few lines in a log; the kit's .NET Interactive extension replaces it by one display that updates in place.
    /// </summary>
    public static Func<string, IProgress<TrainingProgress>> ProgressDisplay { get; set; } = _ => ProgressReporters.Console();

    private readonly Dictionary<ExperimentResult, IReadOnlyList<ExperimentResult>> seedRuns = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// Trains a configuration once per seed (<see cref="Seeds"/>), or loads each from the cache when any notebook trained
    /// it before, showing its progress. Returns the run with the configuration's own seed; <see cref="SeedRuns"/> gives all.
    /// </summary>
    public ExperimentResult Train(string what, ExperimentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var runs = new List<ExperimentResult>();
        for (int k = 0; k < Seeds; k++)
        {
            var seeded = config with { Seed = config.Seed + k };
            var label = Seeds == 1 ? what : $"{what}, seed {seeded.Seed} ({k + 1} of {Seeds})";
            Console.WriteLine($"▶ {label}");
            var result = Experiment.Run(seeded, new ExperimentOptions(Progress: ProgressDisplay(label)));
            Console.WriteLine($"  {result}");
            runs.Add(result);
        }
        seedRuns[runs[0]] = runs;
        return runs[0];
    }

    /// <summary>Every seed's run of the row <paramref name="run"/> (returned by <see cref="Train"/>); just it when trained elsewhere.</summary>
    public IReadOnlyList<ExperimentResult> SeedRuns(ExperimentResult run) =>
        seedRuns.TryGetValue(run ?? throw new ArgumentNullException(nameof(run)), out var runs) ? runs : [run];

    /// <summary>A signed difference as printed in comparisons: "+0.42", "-1.30", "±0.00"; "NaN" when missing.</summary>
    public static string Delta(double? value, string digits = "0.00") =>
        (value is null ? double.NaN : value == 0 ? 0.0 : value.Value).ToString($"+{digits};-{digits};±{digits}", CultureInfo.InvariantCulture);

    /// <summary>
    /// Mean test metrics as the paper prints them, Dice and Jaccard in %, HD95 and ASD in voxels, averaged over the seeds
    /// of <paramref name="run"/>'s row.
    /// </summary>
    public double?[] Numbers(ExperimentResult run)
    {
        var perSeed = SeedRuns(run).Select(PaperUnits).ToList();
        return Enumerable.Range(0, 4).Select(i => (double?)perSeed.Average(n => n[i])).ToArray();
    }

    /// <summary>
    /// The sample standard deviation over the seeds of each of <see cref="Numbers"/>' values, or null with one seed (a
    /// spread over one run would be zero and mean nothing).
    /// </summary>
    public double?[]? SeedSpread(ExperimentResult run)
    {
        var perSeed = SeedRuns(run).Select(PaperUnits).ToList();
        if (perSeed.Count < 2) return null;
        return Enumerable.Range(0, 4).Select(i =>
        {
            double mean = perSeed.Average(n => n[i]);
            return (double?)Math.Sqrt(perSeed.Sum(n => (n[i] - mean) * (n[i] - mean)) / (perSeed.Count - 1));
        }).ToArray();
    }

    // One run's mean test metrics in the paper's units.
    private static double[] PaperUnits(ExperimentResult run)
    {
        var m = run.TestMetrics.Mean;
        return [100 * m.Dice, 100 * m.Jaccard, m.Hd95, m.Asd];
    }

    /// <summary>What this run's numbers are, for captions: "mean ± standard deviation over 3 seeds (1337–1339)" or one seed's.</summary>
    public string SeedNote(ExperimentConfig config) => Seeds == 1
        ? $"this run: one seed ({config?.Seed}); set Seeds to 3 or more for the spread over seeds"
        : $"this run: mean ± standard deviation over {Seeds} seeds ({config?.Seed}–{config?.Seed + Seeds - 1})";

    /// <summary>
    /// A table of the rows (label, the paper's row or null when the row is not in the paper at all, the run), the paper's
    /// numbers beside this run's. Rows the paper lacks for this dataset keep an empty paper column, and the title says why.
    /// </summary>
    public PaperComparisonTable Compare(string title, IEnumerable<(string Row, PaperLookup? Paper, ExperimentResult Run)> rows)
    {
        var list = rows.ToList();
        var caption = WithAbsenceNotes(title, list);
        if (list.Count > 0) caption += $" — {SeedNote(list[0].Run.Config)}";
        var table = new PaperComparisonTable(caption, MetricColumns, PaperLabel, RunLabel);
        foreach (var (row, paper, run) in list) table.Add(row, paper?.Numbers, Numbers(run), SeedSpread(run));
        return table;
    }

    /// <summary>
    /// Dice (%) of every row as grouped bars (<see cref="BarCharts.Grouped"/>): the paper's beside this run's, this run's
    /// with error bars of ± the standard deviation over the seeds (with <see cref="Seeds"/> above one) or else over the
    /// test cases, as the title says; rows the paper does not report have no paper bar.
    /// </summary>
    public GenericChart DiceBars(string title, IReadOnlyList<(string Row, PaperLookup? Paper, ExperimentResult Run)> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var errors = Seeds > 1
            ? rows.Select(r => SeedSpread(r.Run)![0]!.Value).ToList()
            : rows.Select(r => 100 * r.Run.TestMetrics.StandardDeviation.Dice).ToList();
        var errorNote = Seeds > 1 ? $"error bars: ± sd over {Seeds} seeds" : "error bars: ± sd over the test cases, one seed";
        return BarCharts.Grouped(rows.Select(r => r.Row).ToList(),
            [new BarSeries(PaperLabel, rows.Select(r => r.Paper?.Row?.Metrics.Dice ?? double.NaN).ToList()),
             new BarSeries(RunLabel, rows.Select(r => Numbers(r.Run)[0]!.Value).ToList(), errors)],
            $"{WithAbsenceNotes(title, rows)} ({errorNote})", "Dice (%)", "0.0");
    }

    /// <summary>
    /// The named rows of a kind of table on the paper's datasets other than <see cref="PaperDataset"/>, for reference
    /// beside a comparison (they are not re-run; set <c>Dataset</c> to train on one of them).
    /// </summary>
    public ComparisonTable PaperOnOtherDatasets(string title, PaperTableKind kind, params string[] rows)
    {
        var table = ComparisonTable.ForSegmentation(title);
        foreach (var other in PaperTables.Datasets.Where(d => d != PaperDataset))
        {
            var paper = PaperTables.For(kind, other);
            foreach (var row in rows)
                if (paper[row].Row is { } found) table.AddRow($"{paper.Source}, {row}", found.Metrics.ToArray());
        }
        return table;
    }

    /// <summary>
    /// Row-wise differences "with − without" of two sets of numbers as printed beside a comparison: "Dice +0.30 points,
    /// Jaccard +0.51 points, HD95 -0.35 voxels, ASD -0.06 voxels"; "not in the paper" when either side is missing.
    /// </summary>
    public static string Differences(double?[]? with, double?[]? without)
    {
        if (with is null || without is null) return "not in the paper";
        string[] names = ["Dice", "Jaccard", "HD95", "ASD"];
        string[] units = ["points", "points", "voxels", "voxels"];
        return string.Join(", ", names.Select((name, i) => $"{name} {Delta(with[i] - without[i])} {units[i]}"));
    }

    // The paper column of a row the paper lacks for this dataset is empty; the title says why, once per reason.
    private static string WithAbsenceNotes(string title, IEnumerable<(string Row, PaperLookup? Paper, ExperimentResult Run)> rows)
    {
        var notes = rows.Select(r => r.Paper?.Note).OfType<string>().Distinct().ToList();
        return notes.Count == 0 ? title : $"{title} (paper column empty: {string.Join("; ", notes)})";
    }

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

    // Names only: Enum.TryParse would also take "1" or "Paper, Quick".
    private static T ParseName<T>(string? value, string parameter, string switchName) where T : struct, Enum
    {
        var names = Enum.GetNames<T>();
        var match = names.FirstOrDefault(n => string.Equals(n, value?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (match is null)
            throw new ArgumentException($"{switchName} must be {string.Join(", ", names[..^1])} or {names[^1]}, got '{value}'", parameter);
        return Enum.Parse<T>(match);
    }

    // Checked here so that a wrong folder fails in the notebook's first cells rather than in the first training.
    private static void CheckDataRoot(DatasetKind dataset, string root)
    {
        if (dataset == DatasetKind.Phantoms)
        {
            if (!string.IsNullOrWhiteSpace(root))
                throw new ArgumentException($"Dataset Phantoms takes no DataRoot (the phantoms are generated in the kit's cache), got '{root}': " +
                                            "leave DataRoot empty, or set Dataset to LA, Pancreas or BraTS for the data in that folder", "dataRoot");
            return;
        }
        string needs = $"Dataset {dataset} needs DataRoot: {Layout(dataset)}";
        if (string.IsNullOrWhiteSpace(root)) throw new ArgumentException($"{needs}; DataRoot is empty", "dataRoot");
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"DataRoot '{root}' does not exist. {needs}");
        string cases = dataset switch
        {
            DatasetKind.LA => DatasetCatalog.LaCasesFolder,
            DatasetKind.Pancreas => DatasetCatalog.PancreasCasesFolder,
            _ => DatasetCatalog.BraTSCasesFolder,
        };
        if (!Directory.Exists(Path.Combine(root, cases))) throw new DirectoryNotFoundException($"DataRoot '{root}' has no '{cases}' folder. {needs}");
        string[][] listChoices = dataset switch
        {
            DatasetKind.LA => [],
            DatasetKind.Pancreas => [["train.list", "pancreas_train.list"], ["test.list", "pancreas_test.list"]],
            _ => [["train.txt"], ["test.txt"]],
        };
        foreach (var choices in listChoices)
            if (!choices.Any(list => File.Exists(Path.Combine(root, list))))
                throw new FileNotFoundException($"DataRoot '{root}' has no {string.Join(" or ", choices)}. {needs}", Path.Combine(root, choices[0]));
    }
}
