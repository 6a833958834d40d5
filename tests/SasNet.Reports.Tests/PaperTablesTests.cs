using SasNet.Training;

namespace SasNet.Reports.Tests;

public class PaperTablesTests
{
    private static void AssertRow(PaperLookup lookup, double dice, double jaccard, double hd95, double asd)
    {
        Assert.True(lookup.Found, lookup.Note);
        Assert.Equal(new[] { dice, jaccard, hd95, asd }, lookup.Row!.Metrics.ToArray());
    }

    [Fact]
    public void LaBaselinesMatchTable1()
    {
        var baselines = PaperTables.For(PaperTableKind.Baselines, DatasetKind.LA);
        Assert.Equal(1, baselines.Table!.Number);
        AssertRow(baselines["SASNet, 20 % labeled"], 91.82, 84.93, 4.63, 1.42);
        AssertRow(baselines["SASNet, 10 % labeled"], 89.62, 81.33, 6.59, 1.89);
        AssertRow(baselines["V-Net, 20 % labeled"], 86.03, 76.06, 14.26, 3.51);
        AssertRow(baselines["V-Net, 100 % labeled"], 91.14, 83.82, 5.75, 1.52);
        AssertRow(baselines["SASSNet, 20 % labeled"], 89.16, 80.60, 8.95, 2.26);
        AssertRow(baselines["GALoss, 10 % labeled"], 87.86, 78.55, 8.01, 2.07);
        var sasnet = baselines["SASNet, 20 % labeled"].Row!;
        Assert.Equal((16, 64, 20), (sasnet.Labeled, sasnet.Unlabeled, sasnet.LabeledPercent));
    }

    [Fact]
    public void PancreasBaselinesMatchTable2()
    {
        var baselines = PaperTables.For(PaperTableKind.Baselines, DatasetKind.Pancreas);
        Assert.Equal(2, baselines.Table!.Number);
        AssertRow(baselines["SASNet, 20 % labeled"], 81.60, 69.39, 11.25, 1.81);
        AssertRow(baselines["SASNet, 10 % labeled"], 76.38, 62.84, 13.47, 1.82);
        AssertRow(baselines["V-Net, 10 % labeled"], 54.94, 40.87, 47.48, 17.43);
        AssertRow(baselines["V-Net, 100 % labeled"], 82.60, 70.81, 5.61, 1.33);
        AssertRow(baselines["SASSNet, 20 % labeled"], 76.39, 63.17, 11.06, 1.42);
        // Spelt "MidSS" in Table 2; one name for the method in all three tables.
        AssertRow(baselines["MiDSS, 20 % labeled"], 79.74, 66.56, 12.65, 3.47);
        Assert.Equal(12, baselines["SASNet, 20 % labeled"].Row!.Labeled);
    }

    [Fact]
    public void BratsBaselinesMatchTable3()
    {
        var baselines = PaperTables.For(PaperTableKind.Baselines, DatasetKind.BraTS);
        Assert.Equal(3, baselines.Table!.Number);
        AssertRow(baselines["SASNet, 20 % labeled"], 85.84, 76.79, 7.52, 1.62);
        AssertRow(baselines["SASNet, 10 % labeled"], 82.84, 73.00, 10.91, 2.31);
        AssertRow(baselines["V-Net, 20 % labeled"], 76.14, 64.15, 36.01, 2.70);
        AssertRow(baselines["V-Net, 100 % labeled"], 84.81, 75.53, 8.08, 1.94);
        AssertRow(baselines["EM, 20 % labeled"], 82.37, 72.28, 15.83, 2.30);
        Assert.Equal((50, 200), (baselines["SASNet, 20 % labeled"].Row!.Labeled, baselines["SASNet, 20 % labeled"].Row!.Unlabeled));
    }

    [Fact]
    public void ComponentAblationsMatchTables6To8()
    {
        AssertRow(PaperTables.Find(PaperTableKind.ComponentAblations, DatasetKind.LA, "w/o SDM"), 90.90, 83.39, 5.13, 1.57);
        AssertRow(PaperTables.Find(PaperTableKind.ComponentAblations, DatasetKind.Pancreas, "w/o SAR"), 80.86, 68.49, 8.55, 1.31);
        AssertRow(PaperTables.Find(PaperTableKind.ComponentAblations, DatasetKind.Pancreas, "with low-level"), 80.22, 67.59, 10.20, 1.92);
        AssertRow(PaperTables.Find(PaperTableKind.ComponentAblations, DatasetKind.BraTS, "w/o SDM"), 85.32, 76.16, 7.89, 1.90);
        AssertRow(PaperTables.Find(PaperTableKind.ComponentAblations, DatasetKind.BraTS, "w/o low-level"), 84.39, 75.22, 8.67, 2.12);
        Assert.Equal(7, PaperTables.For(PaperTableKind.ComponentAblations, DatasetKind.Pancreas).Table!.Number);
    }

    [Fact]
    public void LaOnlyTablesMatchThePaper()
    {
        AssertRow(PaperTables.Find(PaperTableKind.BranchesAndObjectives, DatasetKind.LA, "1 branch, L_seg"), 90.12, 82.12, 8.07, 1.99);
        Assert.Equal("MC-Net+", PaperTables.Find(PaperTableKind.BranchesAndObjectives, DatasetKind.LA, "1 branch, L_seg").Row!.Method);
        AssertRow(PaperTables.Find(PaperTableKind.ViewVarianceAndObjectives, DatasetKind.LA, "no VVE, L_seg + L_src + L_plc"), 91.16, 83.84, 5.80, 1.65);
        AssertRow(PaperTables.Find(PaperTableKind.LowDecoderDepth, DatasetKind.LA, "3 layers"), 91.20, 83.90, 5.38, 1.80);
        AssertRow(PaperTables.Find(PaperTableKind.LossWeights, DatasetKind.LA, "β 1.0, γ 0.5, with ramp-up"), 91.15, 84.03, 5.06, 1.86);
        Assert.Equal(new PaperComplexity("SASNet", 11.26, 67.31), PaperTables.Complexity("SASNet"));
        Assert.Equal(new PaperComplexity("URPC", 5.85, 69.36), PaperTables.Complexity("URPC"));
    }

    // Tables 6–9 print each "with" row's change against the row above it; the stored rows must reproduce every one.
    [Theory]
    [InlineData(6, "SAR", 0.30, 0.51, -0.35, -0.06)]
    [InlineData(6, "SDM", 0.92, 1.54, -0.50, -0.15)]
    [InlineData(6, "low-level", 0.71, 1.48, -2.89, -0.51)]
    [InlineData(7, "SAR", 0.74, 0.90, 2.70, 0.50)]
    [InlineData(7, "SDM", 0.93, 1.26, -1.47, 0.04)]
    [InlineData(7, "low-level", 0.66, 0.75, -0.21, 0.30)]
    [InlineData(8, "SAR", 0.27, 0.46, -0.21, -0.19)]
    [InlineData(8, "SDM", 0.52, 0.63, -0.37, -0.28)]
    [InlineData(8, "low-level", 0.64, 0.72, -0.42, -0.16)]
    public void ComponentRowsReproduceThePrintedChanges(int table, string component, double dice, double jaccard, double hd95, double asd)
    {
        var rows = PaperTables.All.Single(t => t.Number == table);
        var with = rows.Find($"with {component}")!.Metrics.ToArray();
        var without = rows.Find($"w/o {component}")!.Metrics.ToArray();
        Assert.Equal(new[] { dice, jaccard, hd95, asd }, with.Zip(without, (a, b) => Math.Round(a - b, 2)));
    }

    [Fact]
    public void DecoderDepthRowsReproduceThePrintedChanges()
    {
        var four = PaperTables.Table9.Find("4 layers")!.Metrics.ToArray();
        var three = PaperTables.Table9.Find("3 layers")!.Metrics.ToArray();
        Assert.Equal(new[] { 0.62, 1.03, -0.75, -0.38 }, four.Zip(three, (a, b) => Math.Round(a - b, 2)));
    }

    [Fact]
    public void TheSameConfigurationHasTheSameNumbersAcrossTables()
    {
        // SASNet, 20 % labeled, is the "with" row of every ablation and the default of Tables 9 and 10.
        foreach (var dataset in PaperTables.Datasets)
        {
            var full = PaperTables.Find(PaperTableKind.Baselines, dataset, "SASNet, 20 % labeled").Row!.Metrics;
            Assert.Equal(full, PaperTables.Find(PaperTableKind.ComponentAblations, dataset, "with SAR").Row!.Metrics);
            Assert.Equal(full, PaperTables.Find(PaperTableKind.ComponentAblations, dataset, "with SDM").Row!.Metrics);
        }
        var la = PaperTables.Table1.Find("SASNet, 20 % labeled")!.Metrics;
        Assert.Equal(la, PaperTables.Table9.Find("4 layers")!.Metrics);
        Assert.Equal(la, PaperTables.Table10.Find("β 0.5, γ 1.0, with ramp-up")!.Metrics);
        Assert.Equal(PaperTables.Table1.Find("MC-Net+, 20 % labeled")!.Metrics, PaperTables.Table4.Find("1 branch, L_seg")!.Metrics);
        Assert.Equal(PaperTables.Table4.Find("2 branches, L_seg + L_src + L_plc")!.Metrics, PaperTables.Table6.Find("w/o SAR")!.Metrics);
    }

    [Fact]
    public void SemiSupervisedRowsSplitTheTrainingListAsThePaperDoes()
    {
        var trainingScans = new Dictionary<DatasetKind, int> { [DatasetKind.LA] = 80, [DatasetKind.Pancreas] = 62, [DatasetKind.BraTS] = 250 };
        foreach (var table in new[] { PaperTables.Table1, PaperTables.Table2, PaperTables.Table3 })
            foreach (var row in table.Rows)
            {
                int scans = trainingScans[table.Dataset];
                Assert.Equal(row.LabeledPercent * scans / 100, row.Labeled);
                Assert.Equal(row.Method == "V-Net" ? 0 : scans - row.Labeled, row.Unlabeled);
            }
    }

    [Fact]
    public void RowNamesAreUniqueWithinEachTable()
    {
        foreach (var table in PaperTables.All)
            Assert.Equal(table.Rows.Count, table.Rows.Select(r => r.Name).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, 10), PaperTables.All.Select(t => t.Number));
        // Every row is filed under its own table and dataset, never another's.
        Assert.All(PaperTables.All, t => Assert.All(t.Rows, r => Assert.Equal((t.Number, t.Dataset), (r.Table, r.Dataset))));
    }

    [Fact]
    public void PhantomsAreComparedWithTheLaRows()
    {
        Assert.Equal(DatasetKind.LA, PaperTables.ComparedDataset(DatasetKind.Phantoms));
        var phantoms = PaperTables.For(PaperTableKind.ComponentAblations, DatasetKind.Phantoms);
        Assert.Equal(DatasetKind.LA, phantoms.Dataset);
        Assert.Equal("Table 6 (LA)", phantoms.Source);
        AssertRow(phantoms["with SAR"], 91.82, 84.93, 4.63, 1.42);
    }

    [Theory]
    [InlineData(PaperTableKind.BranchesAndObjectives, DatasetKind.Pancreas, "2 branches, L_seg + L_src", "Table 4 reports LA only; the paper has no Pancreas-CT rows for it")]
    [InlineData(PaperTableKind.ViewVarianceAndObjectives, DatasetKind.BraTS, "VVE, L_seg", "Table 5 reports LA only; the paper has no BraTS rows for it")]
    [InlineData(PaperTableKind.LowDecoderDepth, DatasetKind.BraTS, "3 layers", "Table 9 reports LA only; the paper has no BraTS rows for it")]
    [InlineData(PaperTableKind.LossWeights, DatasetKind.Pancreas, "β 0.5, γ 1.0, with ramp-up", "Table 10 reports LA only; the paper has no Pancreas-CT rows for it")]
    [InlineData(PaperTableKind.Baselines, DatasetKind.BraTS, "SASSNet, 20 % labeled", "Table 3 (BraTS) has no 'SASSNet, 20 % labeled' row")]
    [InlineData(PaperTableKind.Baselines, DatasetKind.LA, "BCP, 20 % labeled", "Table 1 (LA) has no 'BCP, 20 % labeled' row")]
    public void RowsTheDatasetLacksAreAbsentWithANote(PaperTableKind kind, DatasetKind dataset, string row, string note)
    {
        var lookup = PaperTables.Find(kind, dataset, row);
        Assert.False(lookup.Found);
        Assert.Null(lookup.Row);
        Assert.Null(lookup.Numbers);
        Assert.Equal(note, lookup.Note);
    }

    [Fact]
    public void ATableReportedOnLaOnlyHasNoRowsElsewhere()
    {
        var rows = PaperTables.For(PaperTableKind.BranchesAndObjectives, DatasetKind.BraTS);
        Assert.Null(rows.Table);
        Assert.Equal("Table 4 (LA only)", rows.Source);
        Assert.All(rows.RowNames, name => Assert.False(rows[name].Found));
    }

    [Fact]
    public void AnUnknownRowNameIsAMistakeNotAnAbsentRow()
    {
        var e = Assert.Throws<ArgumentException>(() => PaperTables.Find(PaperTableKind.ComponentAblations, DatasetKind.LA, "with SARR"));
        Assert.Contains("no table of kind ComponentAblations has a row 'with SARR'", e.Message);
        Assert.Contains("with SAR", e.Message);
        Assert.Throws<ArgumentException>(() => PaperTables.Complexity("U-Net"));
    }

    [Fact]
    public void BaselineRowNamesFollowOneForm()
    {
        Assert.Equal("SASSNet, 20 % labeled", PaperTables.BaselineRowName("SASSNet", 20));
        Assert.All(PaperTables.Table2.Rows, r => Assert.Equal(PaperTables.BaselineRowName(r.Method, r.LabeledPercent!.Value), r.Name));
    }
}
