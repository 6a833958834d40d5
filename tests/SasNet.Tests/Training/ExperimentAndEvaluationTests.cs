using SasNet.Experiments;
using SasNet.Geometry;
using SasNet.Inference;
using SasNet.Training;
using static TorchSharp.torch;

namespace SasNet.Tests.Training;

[Collection(TorchTrainingCollection.Name)]
public class ExperimentAndEvaluationTests(TrainingFixture fixture)
{
    private ExperimentOptions Options(bool retrain = false) =>
        new(fixture.CacheRoot, retrain, ProgressReporters.None, Threads: 1);

    [Fact]
    public void SecondRunComesFromTheCacheAndRetrainTrainsAgain()
    {
        // A seed of its own so that no other test shares this run folder.
        var config = TrainingFixture.Smoke(TrainingMethod.VNet, iterations: 2) with { Seed = 4242 };
        var first = Experiment.Run(config, Options());
        Assert.False(first.FromCache);
        Assert.Equal(Path.Combine(fixture.CacheRoot, "runs", config.RunName), first.Folder);
        var checkpoint = Path.Combine(first.Folder, Trainer.LastCheckpoint);
        Assert.Equal(2, first.TestMetrics.Cases.Count);
        // A stamp no write can leave behind: the cached run must not touch the checkpoint, retraining must rewrite it.
        var stamp = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(checkpoint, stamp);

        var second = Experiment.Run(config, Options());
        Assert.True(second.FromCache);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(checkpoint));
        Assert.Equal(first.TrainingSeconds, second.TrainingSeconds);
        Assert.Equal(first.TestMetrics.Mean.Dice, second.TestMetrics.Mean.Dice);
        Assert.Equal(first.SelectedCheckpoint, second.SelectedCheckpoint);
        Assert.Equal(first.History.Iterations.Select(r => r.Loss), second.History.Iterations.Select(r => r.Loss));
        Assert.Contains("cached", second.ToString());

        var retrained = Experiment.Run(config, Options(retrain: true));
        Assert.False(retrained.FromCache);
        Assert.NotEqual(stamp, File.GetLastWriteTimeUtc(checkpoint));
        // Same configuration, same thread count: the retrained run repeats the first exactly.
        Assert.Equal(first.History.Iterations.Select(r => r.Loss), retrained.History.Iterations.Select(r => r.Loss));

        var changed = config with { Optimisation = config.Optimisation with { Iterations = 3 } };
        Assert.NotEqual(config.ContentHash(), changed.ContentHash());
        Assert.NotEqual(first.Folder, Path.Combine(fixture.CacheRoot, "runs", changed.RunName));
    }

    [Fact]
    public void CachedMethodLoadsTheSelectedWeights()
    {
        var config = TrainingFixture.Smoke(TrainingMethod.SasNet, iterations: 2) with { Seed = 4243 };
        var result = Experiment.Run(config, Options());
        using var method = result.LoadMethod();
        using var scope = NewDisposeScope();
        var (saved, _) = SasNet.Checkpoints.Safetensors.Load(result.SelectedCheckpoint);
        foreach (var (name, value) in method.Network.state_dict())
            Assert.Equal(TrainerTests.Bits(saved["model." + name]), TrainerTests.Bits(value));
    }

    public static TheoryData<TrainingMethod> Methods => new() { TrainingMethod.VNet, TrainingMethod.SassNet, TrainingMethod.SasNet };

    [Theory]
    [MemberData(nameof(Methods))]
    public void PredictorGivesProbabilitiesOfTheInputShape(TrainingMethod kind)
    {
        var config = TrainingFixture.Smoke(kind);
        var data = fixture.Data(config);
        using var method = TrainingMethods.Create(config);
        method.Network.eval();
        var item = data.Split.ValidationCases().Load(0);
        // An odd-sized crop, smaller than the patch on Z: padding and unpadding are exercised too.
        var image = Crop(item.Image, new Shape3(37, 45, 11));
        var result = method.CreatePredictor(2).Predict(image, data.Window);
        Assert.Equal(image.Shape, result.Probability.Shape);
        Assert.Equal(image.Shape, result.Mask.Shape);
        Assert.All(result.Probability.Data, p => Assert.InRange(p, 0f, 1f));
        Assert.All(result.Mask.Data, m => Assert.True(m is 0 or 1));
        for (int i = 0; i < result.Mask.Data.Length; i++)
            Assert.Equal(result.Probability.Data[i] > 0.5f ? 1 : 0, result.Mask.Data[i]);

        var evaluation = Evaluation.Run(method.CreatePredictor(2), data.Split.ValidationCases(), data.Window, keepPredictions: true);
        var metrics = Assert.Single(evaluation.Metrics.Cases);
        Assert.Equal(item.Image.Shape, evaluation.Predictions[item.Id].Shape);
        // The reported metrics are those of the kept prediction against the case's label.
        var recomputed = SegmentationMetrics.Evaluate(evaluation.Predictions[item.Id], item.Label, useSpacing: false, caseName: item.Id);
        Assert.Equal(recomputed.Dice, metrics.Dice);
        Assert.Equal(recomputed.Jaccard, metrics.Jaccard);
        Assert.Equal(recomputed.Hd95, metrics.Hd95);
        Assert.All(evaluation.Probabilities[item.Id].Data, p => Assert.InRange(p, 0f, 1f));
    }

    private static Volume<float> Crop(Volume<float> volume, Shape3 size)
    {
        var data = new float[size.Count];
        for (int x = 0; x < size.X; x++)
            for (int y = 0; y < size.Y; y++)
                for (int z = 0; z < size.Z; z++)
                    data[(x * size.Y + y) * size.Z + z] = volume[x, y, z];
        return new Volume<float>(size, data, volume.Spacing);
    }
}
