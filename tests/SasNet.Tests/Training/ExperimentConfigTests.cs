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
        var la = ExperimentConfig.Create(TrainingMethod.SasNet, ExperimentScale.Paper, DatasetKind.LA) with { DataRoot = "/data/LA" };
        Assert.Equal(new Shape3(112, 112, 80), la.Validate().PatchSize);
        Assert.Equal(new Shape3(96, 96, 96), ExperimentConfig.Create(TrainingMethod.SasNet, ExperimentScale.Paper, DatasetKind.Pancreas).PatchSize);
    }

    [Theory]
    [InlineData(DatasetKind.Pancreas)]
    [InlineData(DatasetKind.BraTS)]
    public void PancreasAndBratsPresetsCropCubesAtEveryScale(DatasetKind dataset)
    {
        foreach (var method in Enum.GetValues<TrainingMethod>())
            foreach (var scale in Enum.GetValues<ExperimentScale>())
            {
                var config = (ExperimentConfig.Create(method, scale, dataset) with { DataRoot = "/data" }).Validate();
                Assert.True(config.PatchSize.X == config.PatchSize.Y && config.PatchSize.Y == config.PatchSize.Z, $"{method} {scale}: {config.PatchSize}");
                // What ExperimentData.Prepare checks for these datasets: their view protocol swaps Z with X or Y.
                new AugmentationOptions(config.PatchSize, View: ViewVariance.Permute.WithProtocol(ViewProtocol.SwapYZOrXZ)).Validate();
            }
        Assert.Equal(new Shape3(48, 48, 48), ExperimentConfig.Create(TrainingMethod.SasNet, ExperimentScale.Quick, DatasetKind.BraTS).PatchSize);
    }

    [Fact]
    public void PatchThatIsNotAMultipleOf16IsRejectedNamingTheAxis()
    {
        var message = Rejection(Smoke() with { PatchSize = new Shape3(32, 40, 16) });
        Assert.Contains("Y = 40", message);
        Assert.DoesNotContain("X = 32", message);
    }

    [Fact]
    public void MoreLabeledCasesThanPhantomTrainingCasesAreRejected()
    {
        foreach (var method in Enum.GetValues<TrainingMethod>())
        {
            var message = Rejection(Smoke(method) with { LabeledCount = 7 });
            Assert.Contains("LabeledCount 7", message);
            Assert.Contains("6 phantom training cases", message);
        }
    }

    [Fact]
    public void OneBranchWithCrossSupervisionIsRejected()
    {
        var message = Rejection(Smoke() with { Branches = DecoderBranches.High, SarMode = SarMode.None });
        Assert.Contains("one branch (High)", message);
        Assert.Contains("UsePlc = false", message);
        (Smoke() with { Branches = DecoderBranches.High, UsePlc = false, SarMode = SarMode.None }).Validate();
    }

    [Fact]
    public void FourierRotateWithSarIsRejected()
    {
        var message = Rejection(Smoke() with { ViewVariance = ViewVarianceKind.FourierRotate });
        Assert.Contains("FourierRotate", message);
        Assert.Contains("SarMode = None", message);
        (Smoke() with { ViewVariance = ViewVarianceKind.FourierRotate, SarMode = SarMode.None }).Validate();
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
        var config = ExperimentConfig.Create(TrainingMethod.SasNet, ExperimentScale.Quick, DatasetKind.LA) with { DataRoot = root };
        var error = Assert.Throws<DirectoryNotFoundException>(() => ExperimentData.Prepare(config, Path.GetTempPath()));
        Assert.Contains(root, error.Message);
        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public void EveryProblemIsListedAtOnce()
    {
        var message = Rejection(Smoke() with { Iterations = 0, LearningRate = -1, SarAlpha = 2, Device = "tpu" });
        Assert.Contains("Iterations must be at least 1, got 0", message);
        Assert.Contains("LearningRate must be positive, got -1", message);
        Assert.Contains("SarAlpha must lie in [0, 1], got 2", message);
        Assert.Contains("tpu", message);
    }

    [Fact]
    public void JsonRoundTripKeepsTheConfigurationAndItsHash()
    {
        var config = Smoke() with { DataRoot = null, PatchSize = new Shape3(64, 48, 32), Beta = 1.0, SarMode = SarMode.OfficialCode };
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
            config, config with { Seed = 1 }, config with { Iterations = 5 }, config with { UseSrc = false },
            config with { Device = "cuda" }, config with { PatchSize = new Shape3(32, 32, 32) }, config with { Method = TrainingMethod.VNet },
            config with { DetachPseudoLabels = true }, config with { BatchNormRecalibrationBatches = 8 },
        }.Select(c => c.ContentHash()).ToArray();
        Assert.Equal(hashes.Length, hashes.Distinct().Count());
        Assert.Equal(config.ContentHash(), (config with { }).ContentHash());
        Assert.EndsWith(config.ContentHash(), config.RunName);
        Assert.StartsWith("sasnet-smoke-phantoms-2lab-", config.RunName);
    }
}
