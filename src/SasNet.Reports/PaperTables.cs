using System.Globalization;
using SasNet.Training;

namespace SasNet.Reports;

/// <summary>
/// The kinds of table in the paper that the notebooks compare against. A kind is either one table per dataset
/// (the baselines, the SAR/SDM/low-level ablations) or one table on LA only; <see cref="PaperTables.For"/> picks the
/// table of a kind for a dataset.
/// </summary>
public enum PaperTableKind
{
    /// <summary>
    /// Tables 1 (LA), 2 (Pancreas-CT) and 3 (BraTS): V-Net on the labeled cases only and on all of them, and the
    /// semi-supervised methods at 10 % and 20 % labeled. Rows are named "method, percent % labeled", e.g.
    /// "SASSNet, 20 % labeled" or "V-Net, 100 % labeled".
    /// </summary>
    Baselines,

    /// <summary>
    /// Table 4, LA only: one decoder (high level) or two, with L_seg, L_seg + L_src and (two decoders) L_seg + L_src +
    /// L_plc, SAR off. Rows: "1 branch, L_seg" (the paper's MC-Net+ row), "1 branch, L_seg + L_src", "2 branches, L_seg",
    /// "2 branches, L_seg + L_src", "2 branches, L_seg + L_src + L_plc".
    /// </summary>
    BranchesAndObjectives,

    /// <summary>
    /// Table 5, LA only: view-variance enhancement and the objectives, SAR off. Rows: "VVE, L_seg", "VVE, L_seg + L_src",
    /// "VVE, L_seg + L_plc", "no VVE, L_seg + L_src + L_plc", "VVE, L_seg + L_src + L_plc".
    /// </summary>
    ViewVarianceAndObjectives,

    /// <summary>
    /// Tables 6 (LA), 7 (Pancreas-CT) and 8 (BraTS): each component off and on. Rows: "w/o SAR", "with SAR", "w/o SDM",
    /// "with SDM", "w/o low-level", "with low-level".
    /// </summary>
    ComponentAblations,

    /// <summary>Table 9, LA only: levels of the low-level decoder. Rows: "3 layers", "4 layers".</summary>
    LowDecoderDepth,

    /// <summary>
    /// Table 10, LA only: the loss weights β and γ and the ramp-up of γ. Rows: "β 0.5, γ 1.0, w/o ramp-up",
    /// "β 0.5, γ 0.5, with ramp-up", "β 0.5, γ 1.0, with ramp-up", "β 1.0, γ 0.5, with ramp-up", "β 1.0, γ 1.0, with ramp-up".
    /// </summary>
    LossWeights,
}

/// <summary>The four metrics of one row of the paper: Dice and Jaccard in %, HD95 and ASD in voxels.</summary>
/// <param name="Dice">Dice coefficient, %.</param>
/// <param name="Jaccard">Jaccard index, %.</param>
/// <param name="Hd95">95th-percentile Hausdorff distance, voxels.</param>
/// <param name="Asd">Average surface distance, voxels.</param>
public sealed record PaperMetrics(double Dice, double Jaccard, double Hd95, double Asd)
{
    /// <summary>The metrics in the order of the paper's columns.</summary>
    public double[] ToArray() => [Dice, Jaccard, Hd95, Asd];
}

/// <summary>One row of one of the paper's tables, with the numbers exactly as printed.</summary>
/// <param name="Table">The table's number in the paper.</param>
/// <param name="Dataset">The dataset the table reports (LA, Pancreas or BraTS).</param>
/// <param name="Name">The row's name within its kind of table (see <see cref="PaperTableKind"/>).</param>
/// <param name="Method">The paper's method column ("SASNet" for the ablation rows, "MC-Net+" for the first row of Table 4).</param>
/// <param name="Metrics">The row's numbers.</param>
public sealed record PaperRow(int Table, DatasetKind Dataset, string Name, string Method, PaperMetrics Metrics)
{
    /// <summary>Labeled scans, where the table gives them (Tables 1–3).</summary>
    public int? Labeled { get; init; }

    /// <summary>Unlabeled scans, where the table gives them (Tables 1–3).</summary>
    public int? Unlabeled { get; init; }

    /// <summary>The labeled share of the training list in %, where the table gives it (Tables 1–3).</summary>
    public int? LabeledPercent { get; init; }

    /// <summary>The metrics as a comparison row takes them (Dice %, Jaccard %, HD95, ASD).</summary>
    public double?[] Numbers => Metrics.ToArray().Select(v => (double?)v).ToArray();
}

/// <summary>One of the paper's tables: its number, the dataset it reports and its rows in the paper's order.</summary>
public sealed class PaperTable
{
    internal PaperTable(int number, PaperTableKind kind, DatasetKind dataset, string caption, IReadOnlyList<PaperRow> rows)
    {
        Number = number;
        Kind = kind;
        Dataset = dataset;
        Caption = caption;
        Rows = rows;
    }

    /// <summary>The table's number in the paper.</summary>
    public int Number { get; }

    /// <summary>The kind of comparison the table holds.</summary>
    public PaperTableKind Kind { get; }

    /// <summary>The dataset the table reports.</summary>
    public DatasetKind Dataset { get; }

    /// <summary>What the table compares, in a few words.</summary>
    public string Caption { get; }

    /// <summary>The rows in the paper's order.</summary>
    public IReadOnlyList<PaperRow> Rows { get; }

    /// <summary>The row of that name, or null when this table has none.</summary>
    public PaperRow? Find(string name) => Rows.FirstOrDefault(r => r.Name == name);

    /// <summary>"Table 7 (Pancreas-CT)".</summary>
    public override string ToString() => $"Table {Number} ({PaperTables.DatasetName(Dataset)})";
}

/// <summary>The paper's row for a comparison, or the reason the paper has none for that dataset.</summary>
/// <param name="Row">The row, or null when the paper does not report it.</param>
/// <param name="Note">Why there is no row (null when there is one), e.g. "Table 4 reports LA only; …".</param>
public sealed record PaperLookup(PaperRow? Row, string? Note)
{
    /// <summary>Whether the paper reports the row.</summary>
    public bool Found => Row is not null;

    /// <summary>The row's numbers, or null when the paper has no such row.</summary>
    public double?[]? Numbers => Row?.Numbers;
}

/// <summary>
/// One kind of table as seen from one dataset: the paper's table of that kind for the dataset, or none (with a note)
/// when the paper reports that kind on another dataset only. Index it by row name.
/// </summary>
public sealed class PaperTableRows
{
    private readonly IReadOnlyList<string> rowNames;

    internal PaperTableRows(PaperTableKind kind, DatasetKind dataset, PaperTable? table, IReadOnlyList<PaperTable> tablesOfKind, IReadOnlyList<string> rowNames)
    {
        Kind = kind;
        Dataset = dataset;
        Table = table;
        this.rowNames = rowNames;
        if (table is null)
        {
            string reported = string.Join(", ", tablesOfKind.Select(t => PaperTables.DatasetName(t.Dataset)));
            string numbers = string.Join(", ", tablesOfKind.Select(t => t.Number));
            Source = $"Table {numbers} ({reported} only)";
            Note = $"Table {numbers} reports {reported} only; the paper has no {PaperTables.DatasetName(dataset)} rows for it";
        }
        else
        {
            Source = table.ToString();
        }
    }

    /// <summary>The kind of table.</summary>
    public PaperTableKind Kind { get; }

    /// <summary>The paper's dataset the rows are for (LA, Pancreas or BraTS).</summary>
    public DatasetKind Dataset { get; }

    /// <summary>The paper's table of this kind for <see cref="Dataset"/>, or null when the paper has none.</summary>
    public PaperTable? Table { get; }

    /// <summary>Where the rows come from, for titles: "Table 7 (Pancreas-CT)", or "Table 4 (LA only)" when there is no table.</summary>
    public string Source { get; }

    /// <summary>Why there are no rows for <see cref="Dataset"/>; null when the paper has the table.</summary>
    public string? Note { get; }

    /// <summary>The names a row of this kind can have (on any dataset).</summary>
    public IReadOnlyList<string> RowNames => rowNames;

    /// <summary>
    /// The row of that name, or an absent row with a note when this dataset's table lacks it. A name that no table of
    /// this kind has is a mistake in the caller and throws <see cref="ArgumentException"/>.
    /// </summary>
    public PaperLookup this[string row]
    {
        get
        {
            if (!rowNames.Contains(row))
                throw new ArgumentException($"no table of kind {Kind} has a row '{row}'; its rows are: {string.Join("; ", rowNames)}", nameof(row));
            if (Table is null) return new PaperLookup(null, Note);
            return Table.Find(row) is { } found ? new PaperLookup(found, null) : new PaperLookup(null, $"{Table} has no '{row}' row");
        }
    }
}

/// <summary>Parameters and FLOPs of one model, as Table 11 of the paper lists them (inference on an LA crop).</summary>
/// <param name="Method">The model's name as the paper writes it.</param>
/// <param name="ParametersM">Parameters in millions.</param>
/// <param name="Gflops">FLOPs in G, as the paper counts them.</param>
public sealed record PaperComplexity(string Method, double ParametersM, double Gflops);

/// <summary>
/// Every row of the paper's tables that the notebooks set this kit's runs beside, kept here once and copied as printed
/// (Dice and Jaccard in %, HD95 and ASD in voxels): the baselines of Tables 1–3, the ablations of Tables 4–10 and the
/// complexity of Table 11. The paper has no phantom rows; runs on the built-in phantoms are compared with the LA rows
/// (<see cref="ComparedDataset"/>).
/// </summary>
public static class PaperTables
{
    /// <summary>The datasets the paper reports, in its order.</summary>
    public static IReadOnlyList<DatasetKind> Datasets { get; } = [DatasetKind.LA, DatasetKind.Pancreas, DatasetKind.BraTS];

    /// <summary>Table 1: V-Net and semi-supervised methods on LA (80 training scans) at 10 %, 20 % and 100 % labeled.</summary>
    public static PaperTable Table1 { get; } = Baselines(1, DatasetKind.LA, "V-Net and semi-supervised methods on LA, 10 % and 20 % labeled",
    [
        Scans("V-Net", 8, 0, 10, 79.99, 68.12, 21.11, 5.48),
        Scans("V-Net", 16, 0, 20, 86.03, 76.06, 14.26, 3.51),
        Scans("V-Net", 80, 0, 100, 91.14, 83.82, 5.75, 1.52),
        Scans("UA-MT", 8, 72, 10, 86.28, 76.11, 18.71, 4.63),
        Scans("SASSNet", 8, 72, 10, 85.22, 75.09, 11.18, 2.89),
        Scans("DTC", 8, 72, 10, 87.51, 78.17, 8.23, 2.36),
        Scans("URPC", 8, 72, 10, 85.01, 74.36, 15.37, 3.96),
        Scans("MRNet", 8, 72, 10, 86.07, 75.86, 19.24, 5.51),
        Scans("SCC", 8, 72, 10, 86.51, 76.54, 10.51, 2.56),
        Scans("ICT", 8, 72, 10, 85.39, 74.84, 17.45, 2.88),
        Scans("MC-Net+", 8, 72, 10, 87.50, 77.98, 11.28, 2.30),
        Scans("CauSSL", 8, 72, 10, 87.49, 77.95, 18.85, 5.11),
        Scans("PLGCL", 8, 72, 10, 87.28, 77.54, 18.98, 5.32),
        Scans("AUSS", 8, 72, 10, 87.57, 78.32, 8.17, 2.22),
        Scans("MiDSS", 8, 72, 10, 88.03, 78.69, 8.04, 2.16),
        Scans("GALoss", 8, 72, 10, 87.86, 78.55, 8.01, 2.07),
        Scans("SASNet", 8, 72, 10, 89.62, 81.33, 6.59, 1.89),
        Scans("UA-MT", 16, 64, 20, 88.74, 79.94, 8.39, 2.32),
        Scans("SASSNet", 16, 64, 20, 89.16, 80.60, 8.95, 2.26),
        Scans("DTC", 16, 64, 20, 89.52, 81.22, 7.07, 1.96),
        Scans("URPC", 16, 64, 20, 88.74, 79.93, 12.73, 3.66),
        Scans("MRNet", 16, 64, 20, 88.62, 80.94, 8.83, 2.48),
        Scans("SCC", 16, 64, 20, 89.81, 81.64, 7.15, 1.82),
        Scans("ICT", 16, 64, 20, 89.02, 80.34, 10.38, 1.97),
        Scans("MC-Net+", 16, 64, 20, 90.12, 82.12, 8.07, 1.99),
        Scans("CauSSL", 16, 64, 20, 90.16, 82.17, 6.11, 1.97),
        Scans("PLGCL", 16, 64, 20, 90.01, 82.04, 6.21, 2.15),
        Scans("AUSS", 16, 64, 20, 90.79, 82.91, 6.13, 1.93),
        Scans("MiDSS", 16, 64, 20, 90.47, 82.55, 6.17, 1.80),
        Scans("GALoss", 16, 64, 20, 90.39, 82.46, 6.35, 2.01),
        Scans("SASNet", 16, 64, 20, 91.82, 84.93, 4.63, 1.42),
    ]);

    /// <summary>
    /// Table 2: V-Net and semi-supervised methods on Pancreas-CT (62 training scans) at 10 %, 20 % and 100 % labeled.
    /// The paper spells MiDSS "MidSS" in this table; the row names use one spelling for all three tables.
    /// </summary>
    public static PaperTable Table2 { get; } = Baselines(2, DatasetKind.Pancreas, "V-Net and semi-supervised methods on Pancreas-CT, 10 % and 20 % labeled",
    [
        Scans("V-Net", 6, 0, 10, 54.94, 40.87, 47.48, 17.43),
        Scans("V-Net", 12, 0, 20, 71.52, 57.68, 18.12, 5.41),
        Scans("V-Net", 62, 0, 100, 82.60, 70.81, 5.61, 1.33),
        Scans("UA-MT", 6, 56, 10, 66.44, 52.02, 17.04, 3.03),
        Scans("SASSNet", 6, 56, 10, 68.97, 54.29, 18.83, 1.96),
        Scans("DTC", 6, 56, 10, 66.27, 52.07, 15.00, 4.44),
        Scans("URPC", 6, 56, 10, 73.53, 59.44, 22.57, 7.85),
        Scans("MRNet", 6, 56, 10, 72.47, 56.92, 15.08, 5.14),
        Scans("MC-Net+", 6, 56, 10, 68.94, 54.74, 16.28, 3.16),
        Scans("PLGCL", 6, 56, 10, 73.15, 58.83, 14.36, 4.51),
        Scans("BCP", 6, 56, 10, 74.25, 60.03, 14.23, 4.42),
        Scans("AUSS", 6, 56, 10, 73.82, 59.33, 14.68, 4.95),
        Scans("MiDSS", 6, 56, 10, 74.12, 59.84, 13.93, 3.97),
        Scans("GALoss", 6, 56, 10, 73.94, 59.51, 14.52, 4.71),
        Scans("SASNet", 6, 56, 10, 76.38, 62.84, 13.47, 1.82),
        Scans("UA-MT", 12, 50, 20, 76.10, 62.62, 10.84, 2.43),
        Scans("SASSNet", 12, 50, 20, 76.39, 63.17, 11.06, 1.42),
        Scans("DTC", 12, 50, 20, 78.27, 64.75, 8.36, 2.25),
        Scans("URPC", 12, 50, 20, 80.02, 67.30, 8.51, 1.98),
        Scans("MRNet", 12, 50, 20, 77.82, 63.85, 13.86, 4.53),
        Scans("MC-Net+", 12, 50, 20, 79.05, 65.83, 10.29, 2.72),
        Scans("PLGCL", 12, 50, 20, 78.41, 65.17, 14.13, 4.68),
        Scans("BCP", 12, 50, 20, 80.37, 67.81, 11.53, 2.06),
        Scans("AUSS", 12, 50, 20, 80.02, 66.73, 12.38, 3.14),
        Scans("MiDSS", 12, 50, 20, 79.74, 66.56, 12.65, 3.47),
        Scans("GALoss", 12, 50, 20, 80.21, 66.92, 11.78, 2.83),
        Scans("SASNet", 12, 50, 20, 81.60, 69.39, 11.25, 1.81),
    ]);

    /// <summary>Table 3: V-Net and semi-supervised methods on BraTS 2019 (250 training scans) at 10 %, 20 % and 100 % labeled; it has no SASSNet rows.</summary>
    public static PaperTable Table3 { get; } = Baselines(3, DatasetKind.BraTS, "V-Net and semi-supervised methods on BraTS, 10 % and 20 % labeled",
    [
        Scans("V-Net", 25, 0, 10, 73.00, 59.96, 42.64, 2.96),
        Scans("V-Net", 50, 0, 20, 76.14, 64.15, 36.01, 2.70),
        Scans("V-Net", 250, 0, 100, 84.81, 75.53, 8.08, 1.94),
        Scans("EM", 25, 225, 10, 81.74, 71.42, 13.71, 2.37),
        Scans("UA-MT", 25, 225, 10, 80.85, 70.32, 14.61, 2.57),
        Scans("DTC", 25, 225, 10, 81.96, 71.84, 12.08, 2.43),
        Scans("URPC", 25, 225, 10, 81.80, 71.63, 11.50, 2.48),
        Scans("AUSS", 25, 225, 10, 81.99, 71.92, 11.47, 2.44),
        Scans("MiDSS", 25, 225, 10, 81.91, 71.03, 11.38, 2.37),
        Scans("GALoss", 25, 225, 10, 82.13, 72.11, 11.25, 2.39),
        Scans("SASNet", 25, 225, 10, 82.84, 73.00, 10.91, 2.31),
        Scans("EM", 50, 200, 20, 82.37, 72.28, 15.83, 2.30),
        Scans("UA-MT", 50, 200, 20, 81.87, 71.42, 13.98, 2.49),
        Scans("DTC", 50, 200, 20, 82.78, 72.47, 13.43, 2.20),
        Scans("URPC", 50, 200, 20, 82.80, 72.72, 12.48, 2.72),
        Scans("AUSS", 50, 200, 20, 83.21, 73.55, 11.39, 2.03),
        Scans("MiDSS", 50, 200, 20, 83.74, 73.93, 11.06, 2.29),
        Scans("GALoss", 50, 200, 20, 83.49, 73.72, 10.61, 2.18),
        Scans("SASNet", 50, 200, 20, 85.84, 76.79, 7.52, 1.62),
    ]);

    /// <summary>Table 4 (LA, 20 % labeled): decoders × training objectives, SAR off. The first row is MC-Net+, a one-decoder network trained with L_seg.</summary>
    public static PaperTable Table4 { get; } = new(4, PaperTableKind.BranchesAndObjectives, DatasetKind.LA, "branch count × training objectives on LA, SAR off",
    [
        Row(4, DatasetKind.LA, "1 branch, L_seg", 90.12, 82.12, 8.07, 1.99, method: "MC-Net+"),
        Row(4, DatasetKind.LA, "1 branch, L_seg + L_src", 90.23, 82.37, 8.90, 2.44),
        Row(4, DatasetKind.LA, "2 branches, L_seg", 90.63, 82.99, 6.50, 2.13),
        Row(4, DatasetKind.LA, "2 branches, L_seg + L_src", 90.94, 83.85, 6.01, 1.93),
        Row(4, DatasetKind.LA, "2 branches, L_seg + L_src + L_plc", 91.52, 84.42, 4.98, 1.48),
    ]);

    /// <summary>
    /// Table 5 (LA, 20 % labeled): view-variance enhancement × training objectives, SAR off. Its "VVE, L_seg + L_src" row
    /// prints Jaccard 83.53 where Table 4 prints 83.85 for the same configuration; each table keeps its own number.
    /// </summary>
    public static PaperTable Table5 { get; } = new(5, PaperTableKind.ViewVarianceAndObjectives, DatasetKind.LA, "view variance × training objectives on LA, SAR off",
    [
        Row(5, DatasetKind.LA, "VVE, L_seg", 90.63, 82.99, 6.50, 2.13),
        Row(5, DatasetKind.LA, "VVE, L_seg + L_src", 90.94, 83.53, 6.01, 1.93),
        Row(5, DatasetKind.LA, "VVE, L_seg + L_plc", 91.25, 84.00, 5.06, 1.56),
        Row(5, DatasetKind.LA, "no VVE, L_seg + L_src + L_plc", 91.16, 83.84, 5.80, 1.65),
        Row(5, DatasetKind.LA, "VVE, L_seg + L_src + L_plc", 91.52, 84.42, 4.98, 1.48),
    ]);

    /// <summary>Table 6 (LA): SAR, SDM and the low-level decoder, each off and on.</summary>
    public static PaperTable Table6 { get; } = Components(6, DatasetKind.LA,
        withoutSar: new(91.52, 84.42, 4.98, 1.48), withSar: new(91.82, 84.93, 4.63, 1.42),
        withoutSdm: new(90.90, 83.39, 5.13, 1.57), withSdm: new(91.82, 84.93, 4.63, 1.42),
        withoutLowLevel: new(90.23, 82.37, 8.90, 2.44), withLowLevel: new(90.94, 83.85, 6.01, 1.93));

    /// <summary>Table 7 (Pancreas-CT): SAR, SDM and the low-level decoder, each off and on.</summary>
    public static PaperTable Table7 { get; } = Components(7, DatasetKind.Pancreas,
        withoutSar: new(80.86, 68.49, 8.55, 1.31), withSar: new(81.60, 69.39, 11.25, 1.81),
        withoutSdm: new(80.67, 68.13, 12.72, 1.77), withSdm: new(81.60, 69.39, 11.25, 1.81),
        withoutLowLevel: new(79.56, 66.84, 10.41, 1.62), withLowLevel: new(80.22, 67.59, 10.20, 1.92));

    /// <summary>Table 8 (BraTS): SAR, SDM and the low-level decoder, each off and on.</summary>
    public static PaperTable Table8 { get; } = Components(8, DatasetKind.BraTS,
        withoutSar: new(85.57, 76.33, 7.73, 1.81), withSar: new(85.84, 76.79, 7.52, 1.62),
        withoutSdm: new(85.32, 76.16, 7.89, 1.90), withSdm: new(85.84, 76.79, 7.52, 1.62),
        withoutLowLevel: new(84.39, 75.22, 8.67, 2.12), withLowLevel: new(85.03, 75.94, 8.25, 1.96));

    /// <summary>Table 9 (LA): a low-level decoder of 3 or 4 levels.</summary>
    public static PaperTable Table9 { get; } = new(9, PaperTableKind.LowDecoderDepth, DatasetKind.LA, "levels of the low-level decoder on LA",
    [
        Row(9, DatasetKind.LA, "3 layers", 91.20, 83.90, 5.38, 1.80),
        Row(9, DatasetKind.LA, "4 layers", 91.82, 84.93, 4.63, 1.42),
    ]);

    /// <summary>Table 10 (LA, 20 % labeled): β, the final γ and whether γ ramps up.</summary>
    public static PaperTable Table10 { get; } = new(10, PaperTableKind.LossWeights, DatasetKind.LA, "loss weights β, γ and the ramp-up on LA",
    [
        Row(10, DatasetKind.LA, "β 0.5, γ 1.0, w/o ramp-up", 91.36, 84.24, 5.02, 1.75),
        Row(10, DatasetKind.LA, "β 0.5, γ 0.5, with ramp-up", 91.02, 83.87, 5.12, 1.98),
        Row(10, DatasetKind.LA, "β 0.5, γ 1.0, with ramp-up", 91.82, 84.93, 4.63, 1.42),
        Row(10, DatasetKind.LA, "β 1.0, γ 0.5, with ramp-up", 91.15, 84.03, 5.06, 1.86),
        Row(10, DatasetKind.LA, "β 1.0, γ 1.0, with ramp-up", 91.64, 84.55, 4.91, 1.47),
    ]);

    /// <summary>Table 11: parameters and FLOPs of inference, measured by the paper on LA.</summary>
    public static IReadOnlyList<PaperComplexity> Table11 { get; } =
    [
        new("V-Net", 9.18, 46.85),
        new("UA-MT", 9.18, 46.85),
        new("SASSNet", 9.44, 46.88),
        new("DTC", 9.44, 46.88),
        new("URPC", 5.85, 69.36),
        new("MC-Net+", 9.44, 46.88),
        new("SASNet", 11.26, 67.31),
    ];

    /// <summary>Tables 1–10, in the paper's order.</summary>
    public static IReadOnlyList<PaperTable> All { get; } = [Table1, Table2, Table3, Table4, Table5, Table6, Table7, Table8, Table9, Table10];

    /// <summary>The dataset whose rows a run on <paramref name="dataset"/> is set beside: LA for the phantoms, else the dataset itself.</summary>
    public static DatasetKind ComparedDataset(DatasetKind dataset) => dataset == DatasetKind.Phantoms ? DatasetKind.LA : dataset;

    /// <summary>The name the paper gives a dataset: "LA", "Pancreas-CT", "BraTS" ("phantoms" for the kit's own).</summary>
    public static string DatasetName(DatasetKind dataset) => dataset switch
    {
        DatasetKind.Phantoms => "phantoms",
        DatasetKind.LA => "LA",
        DatasetKind.Pancreas => "Pancreas-CT",
        DatasetKind.BraTS => "BraTS",
        _ => throw new ArgumentOutOfRangeException(nameof(dataset), dataset, "not a dataset of the kit"),
    };

    /// <summary>
    /// The paper's table of <paramref name="kind"/> for the dataset a run on <paramref name="dataset"/> is compared with
    /// (LA for the phantoms); when the paper reports that kind on other datasets only, the rows are all absent, with a note.
    /// </summary>
    public static PaperTableRows For(PaperTableKind kind, DatasetKind dataset)
    {
        var compared = ComparedDataset(dataset);
        var tables = All.Where(t => t.Kind == kind).ToList();
        var names = tables.SelectMany(t => t.Rows).Select(r => r.Name).Distinct().ToList();
        return new PaperTableRows(kind, compared, tables.FirstOrDefault(t => t.Dataset == compared), tables, names);
    }

    /// <summary>The row <paramref name="row"/> of the table of <paramref name="kind"/> for <paramref name="dataset"/> (see <see cref="For"/>).</summary>
    public static PaperLookup Find(PaperTableKind kind, DatasetKind dataset, string row) => For(kind, dataset)[row];

    /// <summary>The Table 11 row of a model ("V-Net", "SASSNet", "SASNet", …).</summary>
    public static PaperComplexity Complexity(string method) =>
        Table11.FirstOrDefault(c => c.Method == method)
        ?? throw new ArgumentException($"Table 11 has no '{method}'; it lists {string.Join(", ", Table11.Select(c => c.Method))}", nameof(method));

    private static PaperTable Baselines(int number, DatasetKind dataset, string caption, IReadOnlyList<(string Method, int Labeled, int Unlabeled, int Percent, PaperMetrics Metrics)> rows) =>
        new(number, PaperTableKind.Baselines, dataset, caption, rows.Select(r =>
            new PaperRow(number, dataset, BaselineRowName(r.Method, r.Percent), r.Method, r.Metrics)
            {
                Labeled = r.Labeled, Unlabeled = r.Unlabeled, LabeledPercent = r.Percent,
            }).ToList());

    /// <summary>The name of a row of Tables 1–3: "SASSNet, 20 % labeled".</summary>
    public static string BaselineRowName(string method, int labeledPercent) =>
        string.Create(CultureInfo.InvariantCulture, $"{method}, {labeledPercent} % labeled");

    // One row of Tables 1–3: method, labeled and unlabeled scans, the labeled share and the four metrics.
    private static (string, int, int, int, PaperMetrics) Scans(string method, int labeled, int unlabeled, int percent, double dice, double jaccard, double hd95, double asd) =>
        (method, labeled, unlabeled, percent, new PaperMetrics(dice, jaccard, hd95, asd));

    private static PaperRow Row(int table, DatasetKind dataset, string name, double dice, double jaccard, double hd95, double asd, string method = "SASNet") =>
        new(table, dataset, name, method, new PaperMetrics(dice, jaccard, hd95, asd));

    private static PaperTable Components(int number, DatasetKind dataset, PaperMetrics withoutSar, PaperMetrics withSar,
        PaperMetrics withoutSdm, PaperMetrics withSdm, PaperMetrics withoutLowLevel, PaperMetrics withLowLevel) =>
        new(number, PaperTableKind.ComponentAblations, dataset, $"SAR, SDM and the low-level decoder on {DatasetName(dataset)}, each off and on",
        [
            new(number, dataset, "w/o SAR", "SASNet", withoutSar), new(number, dataset, "with SAR", "SASNet", withSar),
            new(number, dataset, "w/o SDM", "SASNet", withoutSdm), new(number, dataset, "with SDM", "SASNet", withSdm),
            new(number, dataset, "w/o low-level", "SASNet", withoutLowLevel), new(number, dataset, "with low-level", "SASNet", withLowLevel),
        ]);
}
