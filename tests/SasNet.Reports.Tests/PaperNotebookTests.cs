using System.Text.Json;
using SasNet.Experiments;
using SasNet.Geometry;
using SasNet.Training;

namespace SasNet.Reports.Tests;

/// <summary>A temporary folder for one test, deleted afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Path = Directory.CreateTempSubdirectory("sasnet-reports-test-").FullName;

    public string Path { get; }

    /// <summary>Creates a sub-folder (and its parents).</summary>
    public string Folder(string relative) => Directory.CreateDirectory(System.IO.Path.Combine(Path, relative)).FullName;

    /// <summary>Writes an empty file (a case list is enough to satisfy the layout check).</summary>
    public void Touch(string relative) => File.WriteAllText(System.IO.Path.Combine(Path, relative), "");

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}

public class PaperNotebookTests
{
    [Fact]
    public void PhantomsAreComparedWithLaAndLabelledAsPhantoms()
    {
        var kit = new PaperNotebook("Quick", "Phantoms", "", "cpu");
        Assert.Equal((ExperimentScale.Quick, DatasetKind.Phantoms, DatasetKind.LA), (kit.Scale, kit.Dataset, kit.PaperDataset));
        Assert.Equal("paper (LA, full scale, GPU)", kit.PaperLabel);
        Assert.Equal("this run (phantoms, quick scale)", kit.RunLabel);
        Assert.Null(kit.Config(TrainingMethod.SasNet).Data.DataRoot);
    }

    [Fact]
    public void SwitchNamesIgnoreCase()
    {
        var kit = new PaperNotebook("smoke", "phantoms", "", "CPU");
        Assert.Equal((ExperimentScale.Smoke, DatasetKind.Phantoms), (kit.Scale, kit.Dataset));
    }

    [Fact]
    public void PancreasRunsAreComparedWithPancreasRows()
    {
        using var root = new TempFolder();
        root.Folder("Pancreas_h5");
        root.Touch("pancreas_train.list");
        root.Touch("pancreas_test.list");
        var kit = new PaperNotebook("Paper", "Pancreas", root.Path, "cuda");
        Assert.Equal("paper (Pancreas-CT, full scale, GPU)", kit.PaperLabel);
        Assert.Equal("this run (Pancreas-CT, paper scale)", kit.RunLabel);
        Assert.Equal("Table 7 (Pancreas-CT)", kit.Paper(PaperTableKind.ComponentAblations).Source);
        var config = kit.Config(TrainingMethod.SasNet);
        Assert.Equal((DatasetKind.Pancreas, root.Path, "cuda", 12), (config.Data.Dataset, config.Data.DataRoot, config.Device, config.Data.LabeledCount));
        // Paper scale labels 20 % of the training list, so the paper rows are the 20 % ones.
        Assert.Equal(config.Data.LabeledCount, kit.Paper(PaperTableKind.Baselines)["SASNet, 20 % labeled"].Row!.Labeled);
    }

    [Fact]
    public void BratsRunsAreComparedWithBratsRows()
    {
        using var root = new TempFolder();
        root.Folder("data");
        root.Touch("train.txt");
        root.Touch("test.txt");
        var kit = new PaperNotebook("Paper", "BraTS", root.Path, "cuda:0");
        Assert.Equal("paper (BraTS, full scale, GPU)", kit.PaperLabel);
        Assert.Equal("this run (BraTS, paper scale)", kit.RunLabel);
        Assert.Equal(kit.Config(TrainingMethod.SasNet).Data.LabeledCount, kit.Paper(PaperTableKind.Baselines)["SASNet, 20 % labeled"].Row!.Labeled);
    }

    [Fact]
    public void LaNeedsOnlyItsCasesFolder()
    {
        using var root = new TempFolder();
        root.Folder("2018LA_Seg_Training Set");
        var kit = new PaperNotebook("Quick", "LA", root.Path, "cpu");
        Assert.Equal("paper (LA, full scale, GPU)", kit.PaperLabel);
        Assert.Equal("this run (LA, quick scale)", kit.RunLabel);
    }

    [Fact]
    public void AnUnknownDatasetNamesTheAllowedValues()
    {
        var e = Assert.Throws<ArgumentException>(() => new PaperNotebook("Quick", "Pancreas-CT", "", "cpu"));
        Assert.Equal("dataset", e.ParamName);
        Assert.StartsWith("Dataset must be Phantoms, LA, Pancreas or BraTS, got 'Pancreas-CT'", e.Message);
        // A number is not a dataset name, even though the enum would parse it.
        Assert.Throws<ArgumentException>(() => new PaperNotebook("Quick", "1", "", "cpu"));
    }

    [Fact]
    public void EachRowTrainsOncePerSeedAndShowsTheMeanAndTheSpreadOverSeeds()
    {
        Assert.StartsWith("Seeds must lie in 1 … 20, got 0", Assert.Throws<ArgumentException>(() => new PaperNotebook("Smoke", "Phantoms", "", "cpu", 0)).Message);
        var kit = new PaperNotebook("Smoke", "Phantoms", "", "cpu", seeds: 2);
        var config = kit.Config(TrainingMethod.VNet);
        var run = kit.Train("V-Net", config);
        var runs = kit.SeedRuns(run);
        Assert.Equal([config.Seed, config.Seed + 1], runs.Select(r => r.Config.Seed));
        Assert.Same(run, runs[0]);
        double[] dice = runs.Select(r => 100 * r.TestMetrics.Mean.Dice).ToArray();
        Assert.Equal((dice[0] + dice[1]) / 2, kit.Numbers(run)[0]!.Value, 10);
        Assert.Equal(Math.Abs(dice[0] - dice[1]) / Math.Sqrt(2), kit.SeedSpread(run)![0]!.Value, 10);

        var table = kit.Compare("baseline", [("V-Net", null, run)]);
        Assert.Equal($"baseline — this run: mean ± standard deviation over 2 seeds ({config.Seed}–{config.Seed + 1})", table.Title);
        Assert.Contains($"{kit.Numbers(run)[0]!.Value:0.00} ± {kit.SeedSpread(run)![0]!.Value:0.00}", table.ToString());

        // With one seed there is no spread to show, and the caption says so.
        var single = new PaperNotebook("Smoke", "Phantoms", "", "cpu");
        var one = single.Train("V-Net", config);
        Assert.Null(single.SeedSpread(one));
        Assert.Equal(dice[0], single.Numbers(one)[0]!.Value, 10);
        Assert.EndsWith("one seed (1337); set Seeds to 3 or more for the spread over seeds", single.Compare("baseline", [("V-Net", null, one)]).Title);
    }

    [Fact]
    public void AnUnknownScaleOrDeviceIsRejected()
    {
        var scale = Assert.Throws<ArgumentException>(() => new PaperNotebook("Full", "Phantoms", "", "cpu"));
        Assert.StartsWith("Scale must be Smoke, Quick or Paper, got 'Full'", scale.Message);
        var device = Assert.Throws<ArgumentException>(() => new PaperNotebook("Quick", "Phantoms", "", "gpu"));
        Assert.StartsWith("Device: device 'gpu' is not one of cpu, cuda, cuda:N", device.Message);
    }

    [Fact]
    public void PhantomsWithADataRootIsAnError()
    {
        using var root = new TempFolder();
        var e = Assert.Throws<ArgumentException>(() => new PaperNotebook("Quick", "Phantoms", root.Path, "cpu"));
        Assert.Equal("dataRoot", e.ParamName);
        Assert.StartsWith($"Dataset Phantoms takes no DataRoot (the phantoms are generated in the kit's cache), got '{root.Path}'", e.Message);
        Assert.Contains("set Dataset to LA, Pancreas or BraTS", e.Message);
    }

    [Theory]
    [InlineData("LA", "Dataset LA needs DataRoot: the folder that holds '2018LA_Seg_Training Set/<ID>/mri_norm2.h5'")]
    [InlineData("Pancreas", "Dataset Pancreas needs DataRoot: the folder that holds 'Pancreas_h5/<ID>_norm.h5' with train.list and test.list")]
    [InlineData("BraTS", "Dataset BraTS needs DataRoot: the folder that holds 'data/<ID>.h5' with train.txt and test.txt")]
    public void ARealDatasetWithoutDataRootSaysWhichLayoutItNeeds(string dataset, string layout)
    {
        var empty = Assert.Throws<ArgumentException>(() => new PaperNotebook("Paper", dataset, "", "cuda"));
        Assert.StartsWith(layout, empty.Message);
        Assert.Contains("DataRoot is empty", empty.Message);

        var missing = Path.Combine(Path.GetTempPath(), "sasnet-no-such-dataset-" + Guid.NewGuid().ToString("N"));
        var absent = Assert.Throws<DirectoryNotFoundException>(() => new PaperNotebook("Paper", dataset, missing, "cuda"));
        Assert.StartsWith($"DataRoot '{missing}' does not exist. {layout}", absent.Message);
    }

    [Fact]
    public void ARootWithoutTheDatasetsLayoutSaysWhatIsMissing()
    {
        using var root = new TempFolder();
        var noCases = Assert.Throws<DirectoryNotFoundException>(() => new PaperNotebook("Paper", "LA", root.Path, "cuda"));
        Assert.StartsWith($"DataRoot '{root.Path}' has no '2018LA_Seg_Training Set' folder. Dataset LA needs DataRoot", noCases.Message);

        root.Folder("Pancreas_h5");
        root.Touch("train.list");
        var noTestList = Assert.Throws<FileNotFoundException>(() => new PaperNotebook("Paper", "Pancreas", root.Path, "cuda"));
        Assert.StartsWith($"DataRoot '{root.Path}' has no test.list or pancreas_test.list. Dataset Pancreas needs DataRoot", noTestList.Message);

        root.Folder("data");
        var noTrainList = Assert.Throws<FileNotFoundException>(() => new PaperNotebook("Paper", "BraTS", root.Path, "cuda"));
        Assert.StartsWith($"DataRoot '{root.Path}' has no train.txt. Dataset BraTS needs DataRoot", noTrainList.Message);
    }

    [Fact]
    public void DifferencesAreSignedPerMetric()
    {
        var sar = PaperTables.Table7;
        Assert.Equal("Dice +0.74 points, Jaccard +0.90 points, HD95 +2.70 voxels, ASD +0.50 voxels",
            PaperNotebook.Differences(sar.Find("with SAR")!.Numbers, sar.Find("w/o SAR")!.Numbers));
        Assert.Equal("not in the paper", PaperNotebook.Differences(null, sar.Find("w/o SAR")!.Numbers));
    }

    [Fact]
    public void ReferenceRowsOfTheOtherDatasetsLeaveOutTheComparedOne()
    {
        var kit = new PaperNotebook("Smoke", "Phantoms", "", "cpu");
        var table = kit.PaperOnOtherDatasets("SAR elsewhere", PaperTableKind.ComponentAblations, "w/o SAR", "with SAR");
        Assert.Equal(["Table 7 (Pancreas-CT), w/o SAR", "Table 7 (Pancreas-CT), with SAR", "Table 8 (BraTS), w/o SAR", "Table 8 (BraTS), with SAR"],
            table.Rows.Select(r => r.Label));
        Assert.Equal([85.84, 76.79, 7.52, 1.62], table.Rows[3].Values);
    }

    [Fact]
    public void ACompareRowThePaperLacksKeepsAnEmptyPaperColumnAndSaysWhy()
    {
        using var cache = new TempFolder();
        using var root = new TempFolder();
        root.Folder("data");
        root.Touch("train.txt");
        root.Touch("test.txt");
        var kit = new PaperNotebook("Smoke", "BraTS", root.Path, "cpu");
        var run = CachedRun(cache.Path, kit.Config(TrainingMethod.SassNet), dice: 0.5);
        var baselines = kit.Paper(PaperTableKind.Baselines);
        var table = kit.Compare("baselines", [("SASSNet", baselines["SASSNet, 20 % labeled"], run), ("SASNet", baselines["SASNet, 20 % labeled"], run)]);

        Assert.Equal("baselines (paper column empty: Table 3 (BraTS) has no 'SASSNet, 20 % labeled' row) — this run: one seed (1337); " +
                     "set Seeds to 3 or more for the spread over seeds", table.Title);
        var lines = table.ToString().Split('\n');
        var sassnetPaper = lines.Single(l => l.StartsWith("SASSNet ", StringComparison.Ordinal));
        Assert.Contains("paper (BraTS, full scale, GPU)", sassnetPaper);
        Assert.Equal(4, sassnetPaper.Split(' ', StringSplitOptions.RemoveEmptyEntries).Count(v => v == "—"));
        Assert.Contains("85.84", lines.Single(l => l.StartsWith("SASNet ", StringComparison.Ordinal)));
        Assert.Contains("50.00", table.ToString());
    }

    // A run as the cache holds it after training, so that a comparison can be built without training anything.
    private static ExperimentResult CachedRun(string cacheRoot, ExperimentConfig config, double dice)
    {
        var folder = Directory.CreateDirectory(Path.Combine(cacheRoot, "runs", config.RunName)).FullName;
        File.WriteAllText(Path.Combine(folder, "history.json"), """{ "iterations": [], "validations": [] }""");
        var cases = new[] { new CaseMetrics("case-1", dice, dice / (2 - dice), 10, 2, 2) };
        File.WriteAllText(Path.Combine(folder, "result.json"),
            JsonSerializer.Serialize(new { Cases = cases, TrainingSeconds = 1.0, Checkpoint = "last.safetensors" }));
        var result = Experiment.Run(config, new ExperimentOptions(cacheRoot, Progress: ProgressReporters.None));
        Assert.True(result.FromCache);
        return result;
    }
}
