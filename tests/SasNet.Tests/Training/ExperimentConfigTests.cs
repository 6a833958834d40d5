using SasNet.Data.Sampling;
using SasNet.Data.Transforms;
using SasNet.Geometry;
using SasNet.Method;
using SasNet.Models;
using SasNet.Training;

namespace SasNet.Tests.Training;

public class ExperimentConfigTests
{
    private static ExperimentConfig Smoke(TrainingMethod method = TrainingMethod.SasNet) => ExperimentConfig.Create(method, ExperimentScale.Smoke);

    private static string Rejection(ExperimentConfig config) => Assert.Throws<ArgumentException>(() => config.Validate()).Message;

    [Fact]
    public void PresetsOfEveryMethodAndScaleAreValid()
    {
        foreach (var method in Enum.GetValues<TrainingMethod>())
            foreach (var scale in Enum.GetValues<ExperimentScale>())
                ExperimentConfig.Create(method, scale).Validate();
        var la = ExperimentConfig.Create(TrainingMethod.SasNet, ExperimentScale.Paper, DatasetKind.LA) with { Data = ExperimentConfig.Create(TrainingMethod.SasNet, ExperimentScale.Paper, DatasetKind.LA).Data with { DataRoot = "/data/LA" } };
        Assert.Equal(new Shape3(112, 112, 80), la.Validate().Data.PatchSize);
        Assert.Equal(new Shape3(96, 96, 96), ExperimentConfig.Create(TrainingMethod.SasNet, ExperimentScale.Paper, DatasetKind.Pancreas).Data.PatchSize);
    }

    [Theory]
    [InlineData(DatasetKind.Pancreas)]
    [InlineData(DatasetKind.BraTS)]
    public void PancreasAndBratsPresetsCropCubesAtEveryScale(DatasetKind dataset)
    {
        foreach (var method in Enum.GetValues<TrainingMethod>())
            foreach (var scale in Enum.GetValues<ExperimentScale>())
            {
                var config = (ExperimentConfig.Create(method, scale, dataset) with { Data = ExperimentConfig.Create(method, scale, dataset).Data with { DataRoot = "/data" } }).Validate();
                Assert.True(config.Data.PatchSize.X == config.Data.PatchSize.Y && config.Data.PatchSize.Y == config.Data.PatchSize.Z, $"{method} {scale}: {config.Data.PatchSize}");
                // What ExperimentData.Prepare checks for these datasets: their view protocol swaps Z with X or Y.
                new AugmentationOptions(config.Data.PatchSize, View: ViewVariance.Permute.WithProtocol(ViewProtocol.SwapYZOrXZ)).Validate();
            }
        Assert.Equal(new Shape3(48, 48, 48), ExperimentConfig.Create(TrainingMethod.SasNet, ExperimentScale.Quick, DatasetKind.BraTS).Data.PatchSize);
    }

    [Fact]
    public void PatchThatIsNotAMultipleOf16IsRejectedNamingTheAxis()
    {
        var message = Rejection(Smoke() with { Data = Smoke().Data with { PatchSize = new Shape3(32, 40, 16) } });
        Assert.Contains("Y = 40", message);
        Assert.DoesNotContain("X = 32", message);
    }

    [Fact]
    public void MoreLabeledCasesThanPhantomTrainingCasesAreRejected()
    {
        foreach (var method in Enum.GetValues<TrainingMethod>())
        {
            var message = Rejection(Smoke(method) with { Data = Smoke(method).Data with { LabeledCount = 7 } });
            Assert.Contains("LabeledCount 7", message);
            Assert.Contains("6 phantom training cases", message);
        }
    }

    [Fact]
    public void OneBranchWithCrossSupervisionIsRejected()
    {
        var message = Rejection(Smoke() with { Model = Smoke().Model with { Branches = DecoderBranches.High }, Losses = Smoke().Losses with { SarMode = SarMode.None } });
        Assert.Contains("one branch (High)", message);
        Assert.Contains("UsePlc = false", message);
        (Smoke() with { Model = Smoke().Model with { Branches = DecoderBranches.High }, Losses = Smoke().Losses with { UsePlc = false, SarMode = SarMode.None } }).Validate();
    }

    [Fact]
    public void FourierRotateWithSarIsRejected()
    {
        var message = Rejection(Smoke() with { Data = Smoke().Data with { ViewVariance = ViewVarianceKind.FourierRotate } });
        Assert.Contains("FourierRotate", message);
        Assert.Contains("SarMode = None", message);
        (Smoke() with { Data = Smoke().Data with { ViewVariance = ViewVarianceKind.FourierRotate }, Losses = Smoke().Losses with { SarMode = SarMode.None } }).Validate();
    }

    [Fact]
    public void RealDatasetWithoutDataRootIsRejected()
    {
        var message = Rejection(ExperimentConfig.Create(TrainingMethod.SasNet, ExperimentScale.Quick, DatasetKind.LA));
        Assert.Contains("the LA dataset needs DataRoot", message);
    }

    [Fact]
    public void NonexistentDataRootIsReportedWhenTheDataIsPrepared()
    {
        var root = Path.Combine(Path.GetTempPath(), $"no-such-la-{Guid.NewGuid():N}");
        var config = ExperimentConfig.Create(TrainingMethod.SasNet, ExperimentScale.Quick, DatasetKind.LA) with { Data = ExperimentConfig.Create(TrainingMethod.SasNet, ExperimentScale.Quick, DatasetKind.LA).Data with { DataRoot = root } };
        var error = Assert.Throws<DirectoryNotFoundException>(() => ExperimentData.Prepare(config, Path.GetTempPath()));
        Assert.Contains(root, error.Message);
        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public void EveryProblemIsListedAtOnce()
    {
        var message = Rejection(Smoke() with { Optimisation = Smoke().Optimisation with { Iterations = 0, LearningRate = -1 }, Losses = Smoke().Losses with { SarAlpha = 2 }, Device = "tpu" });
        Assert.Contains("Iterations must be at least 1, got 0", message);
        Assert.Contains("LearningRate must be positive, got -1", message);
        Assert.Contains("SarAlpha must lie in [0, 1], got 2", message);
        Assert.Contains("tpu", message);
    }

    [Fact]
    public void JsonRoundTripKeepsTheConfigurationAndItsHash()
    {
        var config = Smoke() with { Data = Smoke().Data with { DataRoot = null, PatchSize = new Shape3(64, 48, 32) }, Losses = Smoke().Losses with { Beta = 1.0, SarMode = SarMode.OfficialCode } };
        var back = ExperimentConfig.FromJson(config.ToJson());
        Assert.Equal(config, back);
        Assert.Equal(config.ContentHash(), back.ContentHash());
        Assert.Contains("\"SarMode\": \"OfficialCode\"", config.ToJson());
    }

    [Fact]
    public void HashFollowsEveryFieldThatChangesTheResult()
    {
        var config = Smoke();
        var hashes = new[]
        {
            config, config with { Seed = 1 }, config with { Optimisation = config.Optimisation with { Iterations = 5 } }, config with { Losses = config.Losses with { UseSrc = false } },
            config with { Device = "cuda" }, config with { Data = config.Data with { PatchSize = new Shape3(32, 32, 32) } }, config with { Method = TrainingMethod.VNet },
            config with { Losses = config.Losses with { DetachPseudoLabels = true } }, config with { Evaluation = config.Evaluation with { BatchNormRecalibrationBatches = 8 } },
        }.Select(c => c.ContentHash()).ToArray();
        Assert.Equal(hashes.Length, hashes.Distinct().Count());
        Assert.Equal(config.ContentHash(), (config with { }).ContentHash());
        Assert.EndsWith(config.ContentHash(), config.RunName);
        Assert.StartsWith("sasnet-smoke-phantoms-2lab-", config.RunName);
    }

    // config.json of a Smoke V-Net as the kit wrote it before the configuration had parts.
    private const string FlatVNetSmoke = """
        {"Method": "VNet", "Scale": "Smoke", "Dataset": "Phantoms", "DataRoot": null, "PhantomTrainCases": 6, "PhantomTestCases": 2,
         "LabeledCount": 2, "ValidationCount": 1, "Seed": 1337, "Iterations": 4, "PatchSize": {"X": 32, "Y": 32, "Z": 16, "Count": 16384},
         "BatchSize": 4, "LabeledBatchSize": 2, "BaseFilters": 4, "LearningRate": 0.01, "Momentum": 0.9, "WeightDecay": 0.0001,
         "LrDecayEvery": 0, "Branches": "High", "LowDecoderDepth": 4, "Upsampling": "TransposedConv", "Normalization": "Batch",
         "UseSegLoss": true, "UsePlc": false, "UseSrc": false, "DetachPseudoLabels": false, "SupervisedLoss": "Dice", "Beta": 0.5,
         "GammaMax": 1, "RampUp": true, "RampUpIterations": 2, "SarMode": "None", "SarAlpha": 0.5, "ViewVariance": "None",
         "RotationDegrees": 15, "AdversarialWeight": 0.01, "ValidateEvery": 2, "EvaluationStride": {"X": 32, "Y": 32, "Z": 16, "Count": 16384},
         "BatchNormRecalibrationBatches": 0, "SelectBestOnValidation": true, "Device": "cpu"}
        """;

    [Fact]
    public void AFlatConfigurationOfAnOlderKitReadsAsTheSameSettingsInTheirParts()
    {
        var read = ExperimentConfig.FromJson(FlatVNetSmoke);
        Assert.Equal(ExperimentConfig.Create(TrainingMethod.VNet, ExperimentScale.Smoke), read);
        Assert.Equal(ModelConfig.VNet with { BaseFilters = 4 }, read.Model);
        Assert.Equal(new Shape3(32, 32, 16), read.Evaluation.Stride);
        // Written again, it has the parts, and reads back equal.
        Assert.Contains("\"Losses\"", read.ToJson());
        Assert.Equal(read, ExperimentConfig.FromJson(read.ToJson()));
    }

    [Fact]
    public void SassNetsDiscriminatorKeepsTheOfficialWidthRatioAtEveryScaleAndOnlySassNetHasOne()
    {
        // The official pair: a 16-filter V-Net judged by a 64-filter discriminator.
        Assert.Equal(SassNetDiscriminator.OfficialFilters, ExperimentConfig.Create(TrainingMethod.SassNet, ExperimentScale.Paper).Model.DiscriminatorFilters);
        foreach (var scale in Enum.GetValues<ExperimentScale>())
        {
            var model = ExperimentConfig.Create(TrainingMethod.SassNet, scale).Model;
            Assert.Equal(4 * model.BaseFilters, model.DiscriminatorFilters);
        }
        Assert.Equal(32, ExperimentConfig.Create(TrainingMethod.SassNet, ExperimentScale.Quick).Model.DiscriminatorFilters);
        // The other methods' configurations do not mention it, so their run names (hashes) stay as they were.
        foreach (var method in new[] { TrainingMethod.VNet, TrainingMethod.SasNet })
            Assert.DoesNotContain("DiscriminatorFilters", ExperimentConfig.Create(method).ToJson());
        Assert.Contains("only SASSNet has a discriminator", Rejection(Smoke() with { Model = Smoke().Model with { DiscriminatorFilters = 16 } }));
        var sassnet = Smoke(TrainingMethod.SassNet);
        Assert.Contains("DiscriminatorFilters must be at least 1, got 0", Rejection(sassnet with { Model = sassnet.Model with { DiscriminatorFilters = 0 } }));
    }

    [Fact]
    public void EachPartChecksItsOwnSettingsAndTheConfigurationChecksHowTheyFit()
    {
        var smoke = Smoke();
        var message = Rejection(smoke with
        {
            Optimisation = smoke.Optimisation with { Momentum = 1.5 },
            Losses = smoke.Losses with { AdversarialWeight = -1 },
            Model = ModelConfig.VNet with { BaseFilters = 4 },
        });
        Assert.Contains("Momentum must lie in [0, 1), got 1.5", message);
        Assert.Contains("AdversarialWeight must not be negative", message);
        // A SASNet configuration with V-Net's single-branch network cannot cross-supervise.
        Assert.Contains("with one branch (High)", message);
        var vnet = ExperimentConfig.Create(TrainingMethod.VNet, ExperimentScale.Smoke);
        Assert.Contains("VNet is a V-Net: its Model.Branches must be High", Rejection(vnet with { Model = vnet.Model with { Branches = DecoderBranches.Both } }));
    }
}
