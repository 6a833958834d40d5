using SasNet.Cli;
using SasNet.Data.IO;
using SasNet.Data.Phantoms;
using SasNet.Geometry;
using SasNet.Tests.Training;
using SasNet.Training;

namespace SasNet.Tests.Cli;

/// <summary>
/// The <c>sasnet</c> verbs run in-process through <see cref="Program.Run"/>. In the serial training collection:
/// the verbs train, and libtorch's thread count and generator are process-wide.
/// </summary>
[Collection(TorchTrainingCollection.Name)]
public class CliTests(TrainingFixture fixture)
{
    private sealed record Outcome(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout: {Output}\nstderr: {Error}";
    }

    private static Outcome Sasnet(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Program.Run(args, output, error);
        return new Outcome(code, output.ToString(), error.ToString());
    }

    private static void AssertUsageError(Outcome outcome, params string[] mentions)
    {
        Assert.True(outcome.ExitCode == Program.UsageExitCode, outcome.ToString());
        foreach (var text in mentions) Assert.True(outcome.Error.Contains(text, StringComparison.Ordinal), $"'{text}' not in:\n{outcome}");
    }

    [Fact]
    public void ParseErrorsExitWith2AndNameTheOption()
    {
        AssertUsageError(Sasnet("train", "--bogus"), "--bogus", "sasnet train --help");
        AssertUsageError(Sasnet("train", "--iterations", "many"), "--iterations");
        AssertUsageError(Sasnet("predict", "--input", "a.nii", "--output", "b.nii"), "--run");
        AssertUsageError(Sasnet("predict", "--run", "r", "--input", "a.nii", "--output", "b.nii", "--checkpoint", "first"), "--checkpoint", "best", "last");
        AssertUsageError(Sasnet("preprocess", "kidney", "--input", "a", "--output", "b"), "kidney");
    }

    [Fact]
    public void CountsBelowTheirMinimumAreUsageErrorsBeforeAnythingRuns()
    {
        // libtorch aborts the whole process on set_num_threads(0); the parser must stop it first.
        AssertUsageError(Sasnet("train", "--scale", "smoke", "--threads", "0"), "--threads must be at least 1, got 0");
        AssertUsageError(Sasnet("benchmark", "training", "--threads", "-1"), "--threads must be at least 1, got -1");
        AssertUsageError(Sasnet("benchmark", "training", "--iterations", "1"), "--iterations must be at least 2", "warm-up");
        AssertUsageError(Sasnet("benchmark", "inference", "--repeats", "0"), "--repeats must be at least 1");
        AssertUsageError(Sasnet("benchmark", "memory", "--steps", "5"), "--steps must be at least 10");
        AssertUsageError(Sasnet("demo", "--steps", "0"), "--steps must be at least 1");
        AssertUsageError(Sasnet("sweep", "submit", "no-such-sweep", "--scheduler", "local", "--jobs", "0"), "--jobs must be at least 1");
        var library = Assert.Throws<ArgumentOutOfRangeException>(() => SasNet.Experiments.Experiment.Run(
            ExperimentConfig.Create(TrainingMethod.VNet, ExperimentScale.Smoke), new SasNet.Experiments.ExperimentOptions(Threads: 0)));
        Assert.Contains("Threads must be at least 1, got 0", library.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UsageErrorsExitWith2AndNameTheProblem()
    {
        AssertUsageError(Sasnet("train", "--method", "unet", "--print-config"), "--method", "'unet'", "sasnet");
        var unknown = Sasnet("train", "--set", "Gamma=1", "--print-config");
        AssertUsageError(unknown, "no configuration field 'Gamma'", "GammaMax", "UsePlc", "PatchSize");
        AssertUsageError(Sasnet("train", "--set", "Beta=high", "--print-config"), "Beta", "'high' is not a number");
        AssertUsageError(Sasnet("train", "--scale", "smoke", "--set", "PatchSize=40x32x16", "--print-config"), "X = 40");
        AssertUsageError(Sasnet("train", "--dataset", "la", "--print-config"), "DataRoot");
    }

    [Fact]
    public void PrintConfigShowsTheResolvedJsonWithOverrides()
    {
        var outcome = Sasnet("train", "--method", "sasnet", "--scale", "smoke", "--iterations", "3", "--seed", "7",
            "--set", "Losses.UsePlc=false", "--set", "beta=1.0", "--set", "PatchSize=64x48x32", "--set", "SarMode=OfficialCode", "--print-config");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var config = ExperimentConfig.FromJson(outcome.Output);
        var smoke = ExperimentConfig.Create(TrainingMethod.SasNet, ExperimentScale.Smoke);
        var expected = smoke with
        {
            Seed = 7,
            Data = smoke.Data with { PatchSize = new Shape3(64, 48, 32) },
            Optimisation = smoke.Optimisation with { Iterations = 3 },
            Losses = smoke.Losses with { UsePlc = false, Beta = 1.0, SarMode = SasNet.Method.SarMode.OfficialCode },
        };
        Assert.Equal(expected, config);
    }

    // A Smoke V-Net trained through the train verb: the run every predict test uses.
    private string TrainedRun()
    {
        var config = TrainingFixture.Smoke(TrainingMethod.VNet, iterations: 2);
        var folder = Path.Combine(fixture.CacheRoot, "runs", config.RunName);
        if (File.Exists(Path.Combine(folder, Trainer.LastCheckpoint))) return folder;
        var outcome = Sasnet("train", "--method", "vnet", "--scale", "smoke", "--iterations", "2", "--cache", fixture.CacheRoot, "--threads", "1");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains(config.RunName, outcome.Output);
        Assert.Contains("test Dice", outcome.Output);
        return folder;
    }

    private Volume<float> PhantomImage()
    {
        var root = Directory.GetDirectories(fixture.CacheRoot, "phantoms-*").First();
        var id = File.ReadAllLines(Path.Combine(root, "test.list"))[0];
        return Hdf5Case.Read(Path.Combine(root, id, PhantomDataset.CaseFileName)).Image;
    }

    [Fact]
    public void PredictWritesAMaskWithTheInputsShapeAndHeader()
    {
        var run = TrainedRun();
        var folder = fixture.NewFolder("predict");
        var phantom = PhantomImage();
        // An anisotropic, oblique header that must come back unchanged.
        var image = new Volume<float>(phantom.Shape, phantom.Data, new Spacing3(0.625, 0.625, 1.25));
        var header = NiftiHeader.ForVolume(image.Shape, image.Spacing, NiftiDataType.Float32) with
        {
            QFormCode = 2,
            SFormCode = 1,
            Quaternion = (0.1f, -0.2f, 0.3f),
            QOffset = (-40f, 12.5f, 7f),
            SRows = [0, -0.625f, 0, 20, 0.625f, 0, 0, -30, 0, 0, 1.25f, 5],
        };
        var input = Path.Combine(folder, "case.nii.gz");
        Nifti.Write(input, image, header);
        var mask = Path.Combine(folder, "out", "mask.nii.gz");
        var probability = Path.Combine(folder, "out", "probability.nii");

        var outcome = Sasnet("predict", "--run", run, "--input", input, "--output", mask, "--probability", probability,
            "--checkpoint", "last", "--largest-component", "--threads", "1");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("foreground voxels", outcome.Output);

        var (maskVolume, maskHeader) = Nifti.ReadLabel(mask);
        Assert.Equal(image.Shape, maskVolume.Shape);
        Assert.Equal(image.Spacing, maskVolume.Spacing);
        Assert.All(maskVolume.Data, v => Assert.True(v is 0 or 1));
        Assert.Equal(NiftiDataType.UInt8, maskHeader.DataType);
        Assert.Equal((header.QFormCode, header.SFormCode, header.Quaternion, header.QOffset), (maskHeader.QFormCode, maskHeader.SFormCode, maskHeader.Quaternion, maskHeader.QOffset));
        Assert.Equal(header.SRows, maskHeader.SRows);
        var (probabilityVolume, _) = Nifti.ReadFloat(probability);
        Assert.Equal(image.Shape, probabilityVolume.Shape);
        Assert.All(probabilityVolume.Data, p => Assert.InRange(p, 0f, 1f));
    }

    [SasNet.Tests.Checkpoints.PythonFact("official_models.py", "torch", "numpy")]
    public void PredictAndEvaluateTakeOfficialPyTorchWeights()
    {
        var folder = fixture.NewFolder("official-weights");
        var script = SasNet.Tests.Checkpoints.PythonReference.Script("official_models.py")!;
        var written = SasNet.Tests.Checkpoints.PythonReference.Run(script, "write", "--model", "sasnet", "--filters", "4", "--size", "16", "16", "16",
            "--out", Path.Combine(folder, "official"));
        Assert.True(written.ExitCode == 0, written.Output);
        var weights = Path.Combine(folder, "official", "model.pth");

        var input = Path.Combine(folder, "case.nii.gz");
        Nifti.Write(input, PhantomImage());
        var mask = Path.Combine(folder, "mask.nii.gz");
        var predicted = Sasnet("predict", "--weights", weights, "--input", input, "--output", mask, "--threads", "1");
        Assert.True(predicted.ExitCode == 0, predicted.ToString());
        Assert.Contains("holds a SasNet (4 filters", predicted.Error);
        Assert.Contains("block_five_up was dropped", predicted.Error);
        Assert.Contains("model.pth: ", predicted.Output);
        Assert.Equal(PhantomImage().Shape, Nifti.ReadLabel(mask).Volume.Shape);

        // The fixture's phantoms in the LA layout: cases under "2018LA_Seg_Training Set", lists in the root.
        var phantoms = Directory.GetDirectories(fixture.CacheRoot, "phantoms-*").First();
        var la = Path.Combine(folder, "la");
        Directory.CreateDirectory(la);
        Directory.CreateSymbolicLink(Path.Combine(la, SasNet.Data.Datasets.DatasetCatalog.LaCasesFolder), phantoms);
        foreach (var list in new[] { "train.list", "test.list" }) File.Copy(Path.Combine(phantoms, list), Path.Combine(la, list));
        var evaluated = Sasnet("evaluate", "--weights", weights, "--dataset", "la", "--data-root", la);
        Assert.True(evaluated.ExitCode == 0, evaluated.ToString());

        AssertUsageError(Sasnet("evaluate", "--weights", weights, "--run", folder), "either --run", "--weights");
        AssertUsageError(Sasnet("predict", "--weights", Path.Combine(folder, "absent.pth"), "--input", input, "--output", mask), "--weights", "absent.pth");
    }

    [Fact]
    public void PredictReadsAndWritesTheH5Layout()
    {
        var run = TrainedRun();
        var folder = fixture.NewFolder("predict-h5");
        var image = PhantomImage();
        var input = Path.Combine(folder, "case.h5");
        using (var file = Hdf5File.Create(input)) file.Write(PredictCommandNames.Image, image);
        var output = Path.Combine(folder, "mask.h5");
        var outcome = Sasnet("predict", "--run", run, "--input", input, "--output", output, "--threads", "1");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        using var written = Hdf5File.OpenRead(output);
        var mask = written.ReadLabel(PredictCommandNames.Mask);
        Assert.Equal(image.Shape, mask.Shape);
    }

    [Fact]
    public void PredictExplainsWhatIsWrong()
    {
        var run = TrainedRun();
        var folder = fixture.NewFolder("predict-errors");
        var input = Path.Combine(folder, "case.nii");
        Nifti.Write(input, PhantomImage());
        var output = Path.Combine(folder, "mask.nii.gz");

        var missingRun = Path.Combine(folder, "no-run");
        AssertUsageError(Sasnet("predict", "--run", missingRun, "--input", input, "--output", output), "--run", missingRun, "does not exist");
        var notARun = Directory.CreateDirectory(Path.Combine(folder, "not-a-run")).FullName;
        AssertUsageError(Sasnet("predict", "--run", notARun, "--input", input, "--output", output), "config.json");
        var untrained = Directory.CreateDirectory(Path.Combine(folder, "untrained")).FullName;
        File.Copy(Path.Combine(run, "config.json"), Path.Combine(untrained, "config.json"));
        AssertUsageError(Sasnet("predict", "--run", untrained, "--input", input, "--output", output), "has no checkpoint");
        AssertUsageError(Sasnet("predict", "--run", run, "--input", Path.Combine(folder, "absent.nii"), "--output", output), "--input", "absent.nii");
        AssertUsageError(Sasnet("predict", "--run", run, "--input", input, "--output", Path.Combine(folder, "mask.png")), "--output", "mask.png");

        // Unreadable data: the job fails (1) with the data layer's message naming the file and the problem.
        var corrupt = Path.Combine(folder, "corrupt.nii.gz");
        File.WriteAllBytes(corrupt, [0x1F, 0x8B, 8, 0, 1, 2, 3]);
        var broken = Sasnet("predict", "--run", run, "--input", corrupt, "--output", output);
        Assert.True(broken.ExitCode == Program.FailureExitCode, broken.ToString());
        Assert.Contains(corrupt, broken.Error);
        Assert.DoesNotContain("   at ", broken.Error); // a message, not a stack trace

        var flat = Path.Combine(folder, "slice.h5");
        using (var file = Hdf5File.Create(flat)) file.Write(PredictCommandNames.Image, new Volume<float>(new Shape3(40, 40, 1)));
        var slice = Sasnet("predict", "--run", run, "--input", flat, "--output", output);
        Assert.True(slice.ExitCode == Program.FailureExitCode, slice.ToString());
        Assert.Contains("not a 3D volume", slice.Error);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void PreprocessLAWritesTheUaMtLayout()
    {
        var folder = fixture.NewFolder("preprocess-la");
        var raw = Path.Combine(folder, "raw");
        foreach (var id in new[] { "CASE_A", "CASE_B" })
        {
            var (image, mask) = SyntheticScan(new Shape3(60, 56, 20), labelValue: 255);
            Directory.CreateDirectory(Path.Combine(raw, id));
            Nrrd.Write(Path.Combine(raw, id, "lgemri.nrrd"), image);
            Nrrd.Write(Path.Combine(raw, id, "laendo.nrrd"), mask);
        }
        var output = Path.Combine(folder, "LA");
        var outcome = Sasnet("preprocess", "la", "--input", raw, "--output", output, "--patch", "32x32x16", "--margin-min", "2", "--margin-max", "4");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("wrote 2 LA cases", outcome.Output);
        var (written, label) = Hdf5Case.Read(Path.Combine(output, Data.Datasets.DatasetCatalog.LaCasesFolder, "CASE_B", "mri_norm2.h5"));
        Assert.Equal(20, written.Shape.Z); // Z kept whole, as UA-MT's script
        Assert.True(written.Shape.X < 60);
        Assert.Contains((byte)1, label.Data);

        AssertUsageError(Sasnet("preprocess", "la", "--input", Path.Combine(folder, "nowhere"), "--output", output), "--input", "nowhere");
        AssertUsageError(Sasnet("preprocess", "la", "--input", raw, "--output", output, "--patch", "32x32"), "--patch");
        AssertUsageError(Sasnet("preprocess", "la", "--input", output, "--output", output), "no case folder with lgemri.nrrd");
    }

    [Fact]
    public void PreprocessPancreasPairsImagesWithLabelsAndWritesLists()
    {
        var folder = fixture.NewFolder("preprocess-pancreas");
        var raw = Directory.CreateDirectory(Path.Combine(folder, "raw")).FullName;
        foreach (var number in new[] { 1, 2, 3 })
        {
            var (image, mask) = SyntheticScan(new Shape3(40, 40, 12), labelValue: 1, spacing: new Spacing3(0.8, 0.8, 2));
            Nifti.Write(Path.Combine(raw, $"PANCREAS_{number:D4}.nii.gz"), image.Map(v => v * 100 - 50));
            Nifti.Write(Path.Combine(raw, $"label{number:D4}.nii.gz"), mask);
        }
        var output = Path.Combine(folder, "Pancreas");
        var outcome = Sasnet("preprocess", "pancreas", "--input", raw, "--output", output, "--test", "1", "--margin", "5");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var dataset = Data.Datasets.DatasetCatalog.Pancreas(output);
        Assert.Equal(["image0001", "image0002"], dataset.TrainIds);
        Assert.Equal(["image0003"], dataset.TestIds);
        var (image3, label3) = Hdf5Case.Read(dataset.Resolve("image0003").Path);
        Assert.Equal(24, image3.Shape.Z); // resampled to 1 mm: 12 slices of 2 mm
        Assert.Contains((byte)1, label3.Data);

        AssertUsageError(Sasnet("preprocess", "pancreas", "--input", raw, "--output", output, "--test", "3"), "--test");
    }

    [Fact]
    public void PreprocessBraTSFindsCasesInSubfoldersAndWritesLists()
    {
        var folder = fixture.NewFolder("preprocess-brats");
        var raw = Path.Combine(folder, "MICCAI_BraTS_2019_Data_Training");
        var ids = new[] { "BraTS19_A_1", "BraTS19_B_1", "BraTS19_C_1" };
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            var caseFolder = Directory.CreateDirectory(Path.Combine(raw, i == 0 ? "LGG" : "HGG", id)).FullName;
            var (image, mask) = SyntheticScan(new Shape3(36, 36, 24), labelValue: 2);
            Nifti.Write(Path.Combine(caseFolder, $"{id}_flair.nii.gz"), image);
            Nifti.Write(Path.Combine(caseFolder, $"{id}_seg.nii.gz"), mask);
        }
        var output = Path.Combine(folder, "BraTS");
        var outcome = Sasnet("preprocess", "brats", "--input", raw, "--output", output, "--val", "1", "--test", "1");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var dataset = Data.Datasets.DatasetCatalog.BraTS(output);
        Assert.Equal(ids.Order(), dataset.TrainIds.Concat(dataset.OfficialValidationIds).Concat(dataset.TestIds).Order());
        Assert.Single(dataset.TestIds);
        var (_, label) = Hdf5Case.Read(dataset.Resolve(ids[0]).Path);
        Assert.Contains((byte)1, label.Data);
        Assert.DoesNotContain((byte)2, label.Data); // whole tumour = seg > 0
    }

    // A smooth positive image (zero at the border, like a skull-stripped scan) with a box of voxels equal to `labelValue`.
    private static (Volume<float> Image, Volume<byte> Mask) SyntheticScan(Shape3 shape, byte labelValue, Spacing3? spacing = null)
    {
        var image = new Volume<float>(shape, spacing);
        var mask = new Volume<byte>(shape, spacing);
        for (int x = 1; x < shape.X - 1; x++)
            for (int y = 1; y < shape.Y - 1; y++)
                for (int z = 1; z < shape.Z - 1; z++)
                {
                    int i = (x * shape.Y + y) * shape.Z + z;
                    image.Data[i] = 1 + 0.01f * (x + 2 * y + 3 * z);
                    bool inside = Math.Abs(x - shape.X / 2) < shape.X / 6 && Math.Abs(y - shape.Y / 2) < shape.Y / 6 && Math.Abs(z - shape.Z / 2) < shape.Z / 4;
                    if (inside) { mask.Data[i] = labelValue; image.Data[i] += 2; }
                }
        return (image, mask);
    }
}

/// <summary>The h5 dataset names of <c>sasnet predict</c> (its class is internal to the CLI).</summary>
internal static class PredictCommandNames
{
    public const string Image = "image";
    public const string Mask = "label";
}
