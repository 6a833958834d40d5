using SasNet.Data.Sampling;
using SasNet.Training;
using TorchSharp;

using static TorchSharp.torch;

namespace SasNet.Tests.Training;

[Collection(TorchTrainingCollection.Name)]
public class TrainerTests(TrainingFixture fixture)
{
    public static TheoryData<TrainingMethod> Methods => new() { TrainingMethod.VNet, TrainingMethod.SassNet, TrainingMethod.SasNet };

    [Theory]
    [MemberData(nameof(Methods))]
    public void RepeatingOneBatchLowersTheLoss(TrainingMethod kind)
    {
        // A constant loss weighting (no ramp-up) so that only learning changes the loss.
        var config = TrainingFixture.Lean(kind) with { Losses = TrainingFixture.Lean(kind).Losses with { RampUp = false } };
        var batch = fixture.FirstBatch(config);
        using var method = TrainingMethods.Create(config);
        method.Network.train();
        var totals = new List<double>();
        var supervised = new List<double>();
        int iterations = kind == TrainingMethod.SassNet ? 4 : 8; // SASSNet's discriminator makes its steps slow
        var trace = new List<string>();
        for (int iteration = 1; iteration <= iterations; iteration++)
        {
            manual_seed((long)Trainer.IterationSeed(config.Seed, iteration));
            using var scope = NewDisposeScope();
            var parts = method.Step(batch, iteration);
            Assert.True(double.IsFinite(parts["loss"]), $"iteration {iteration}: loss {parts["loss"]}");
            totals.Add(parts["loss"]);
            supervised.Add(parts["seg"]);
            trace.Add(string.Join(" ", parts.Select(p => $"{p.Key}={p.Value:F3}")));
        }
        string Trace() => string.Join("\n", trace);
        int window = iterations / 2;
        // Early vs late averages: single steps wobble (dropout masks differ per iteration), the trend must not.
        // The supervised part has a fixed target on a fixed batch, so it must fall for every method. The total
        // must fall for V-Net; SASNet's L_plc/L_src chase pseudo-labels and SDMs of its own (moving) predictions,
        // and SASSNet's adversarial term follows its discriminator, so their totals may rise early on.
        Assert.True(supervised.TakeLast(window).Average() < supervised.Take(window).Average(), $"supervised loss did not decrease:\n{Trace()}");
        if (kind == TrainingMethod.VNet)
            Assert.True(totals.TakeLast(window).Average() < totals.Take(window).Average(), $"loss did not decrease:\n{Trace()}");
    }

    [Fact]
    public void SassNetsDiscriminatorHasTheConfiguredWidthAndStillLearnsAfterBeingFrozenForTheSegmentationStep()
    {
        var config = TrainingFixture.Lean(TrainingMethod.SassNet);
        var batch = fixture.FirstBatch(config);
        using var method = TrainingMethods.Create(config);
        var discriminator = method.Modules["discriminator"];
        var parameters = discriminator.named_parameters().ToList();
        Assert.Equal(config.Model.DiscriminatorFilters, (int)parameters.Single(p => p.name == "conv0.weight").parameter.shape[0]);
        var before = parameters.Select(p => p.parameter.detach().clone()).ToList();
        manual_seed((long)Trainer.IterationSeed(config.Seed, 1));
        using (NewDisposeScope())
            method.Step(batch, 1);
        // Frozen only while the segmentation network's loss is backpropagated through it: D's own Adam step still
        // moves every one of its weights.
        for (int i = 0; i < parameters.Count; i++)
        {
            var (name, parameter) = parameters[i];
            Assert.True(parameter.requires_grad, $"{name} was left frozen");
            Assert.False(parameter.detach().allclose(before[i], rtol: 0, atol: 0), $"{name} did not change in D's step");
        }
        before.ForEach(t => t.Dispose());
    }

    [Fact]
    public void TrainerWritesHistoryCheckpointsAndNoTemporaryFiles()
    {
        var config = TrainingFixture.Smoke(TrainingMethod.SasNet, iterations: 4) with { Evaluation = TrainingFixture.Smoke(TrainingMethod.SasNet).Evaluation with { ValidateEvery = 2 } };
        var folder = fixture.NewFolder("files");
        var reports = new List<TrainingProgress>();
        using var method = TrainingMethods.Create(config);
        var history = new Trainer(config, fixture.Data(config), new TrainerOptions(folder, CheckpointEvery: 2, Progress: new Collect(reports)))
            .Train(method);

        Assert.Equal([1, 2, 3, 4], history.Iterations.Select(r => r.Iteration));
        Assert.Equal([2, 4], history.Validations.Select(v => v.Iteration));
        Assert.Contains("plc", history.PartNames);
        Assert.Contains("src", history.PartNames);
        Assert.Equal(4, reports.Count);
        Assert.Equal(4, reports[^1].Iteration);
        foreach (var file in new[] { "config.json", Trainer.LastCheckpoint, Trainer.BestCheckpoint, "history.csv", "history.json", "validation.csv" })
            Assert.True(File.Exists(Path.Combine(folder, file)), $"{file} missing");
        Assert.Empty(Directory.GetFiles(folder, "*.tmp*"));
        Assert.Equal(config, ExperimentConfig.FromJson(File.ReadAllText(Path.Combine(folder, "config.json"))));
        var (tensors, metadata) = SasNet.Checkpoints.Safetensors.Load(Path.Combine(folder, Trainer.LastCheckpoint));
        var (bestTensors, bestMetadata) = SasNet.Checkpoints.Safetensors.Load(Path.Combine(folder, Trainer.BestCheckpoint));
        foreach (var t in bestTensors.Values) t.Dispose();
        // The best checkpoint is the one of the highest validation Dice (the first of equals), and says so.
        var best = history.Validations.First(v => v.Dice == history.Validations.Max(w => w.Dice));
        Assert.Equal(best.Iteration.ToString(System.Globalization.CultureInfo.InvariantCulture), bestMetadata["iteration"]);
        Assert.Equal(best.Dice, double.Parse(bestMetadata["best_validation_dice"], System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            Assert.Equal("4", metadata["iteration"]);
            Assert.Equal(config.ContentHash(), metadata["config_hash"]);
            Assert.Contains("extra.sar", tensors.Keys);
            Assert.Contains("optimizer.model", tensors.Keys); // the SGD state (momentum buffers) as TorchSharp writes it
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    public static TheoryData<TrainingMethod, int> ResumeCases => new()
    {
        { TrainingMethod.VNet, 0 }, { TrainingMethod.SassNet, 0 }, { TrainingMethod.SasNet, 0 },
        // With batch-norm recalibration before validations; the interruption at 3 falls between two of them.
        { TrainingMethod.SasNet, 2 },
    };

    [Theory]
    [MemberData(nameof(ResumeCases))]
    public void ResumedRunEndsBitwiseEqualToAnUninterruptedOne(TrainingMethod kind, int recalibrationBatches)
    {
        // Validation every 2 iterations also exercises best-checkpoint writes and eval/train switches mid-run.
        // SASSNet's steps are slow (its discriminator): one iteration before and one after the interruption suffice.
        int iterations = kind == TrainingMethod.SassNet ? 2 : 4;
        var config = TrainingFixture.Lean(kind) with { Optimisation = TrainingFixture.Lean(kind).Optimisation with { Iterations = iterations }, Evaluation = TrainingFixture.Lean(kind).Evaluation with { ValidateEvery = 2, BatchNormRecalibrationBatches = recalibrationBatches } };
        var data = fixture.Data(config);
        var straight = fixture.NewFolder("straight");
        var interrupted = fixture.NewFolder("interrupted");

        TrainingHistory straightHistory;
        using (var method = TrainingMethods.Create(config))
            straightHistory = new Trainer(config, data, new TrainerOptions(straight, Resume: false)).Train(method);
        using (var method = TrainingMethods.Create(config))
            new Trainer(config, data, new TrainerOptions(interrupted, StopAfter: recalibrationBatches > 0 ? 3 : iterations / 2)).Train(method);
        TrainingHistory resumedHistory;
        using (var method = TrainingMethods.Create(config))
            resumedHistory = new Trainer(config, data, new TrainerOptions(interrupted)).Train(method);

        Assert.Equal(straightHistory.Iterations.Select(r => r.Loss), resumedHistory.Iterations.Select(r => r.Loss));
        Assert.Equal(straightHistory.Validations.Select(v => v.Dice), resumedHistory.Validations.Select(v => v.Dice));
        AssertSameCheckpoint(Path.Combine(straight, Trainer.LastCheckpoint), Path.Combine(interrupted, Trainer.LastCheckpoint));
    }

    [Fact]
    public void BatchNormRecalibrationAveragesTheBatchStatisticsAndRestoresTheLayers()
    {
        var config = TrainingFixture.Smoke(TrainingMethod.SasNet);
        var data = fixture.Data(config);
        var pipeline = new PatchPipeline(data.Split.TrainingCases(), data.Augmentation);
        BatchLoader Loader() => new(pipeline, Trainer.CreateSampler(config, data.Split), config.Seed, prefetch: 0);
        using var method = TrainingMethods.Create(config);
        var modules = method.Network.named_modules().ToDictionary(m => m.name, m => m.module);
        var firstConv = (TorchSharp.Modules.Conv3d)modules["encoder.block_one.conv.0"];
        var firstNorm = (TorchSharp.Modules.BatchNorm3d)modules["encoder.block_one.conv.1"];
        long countBefore = (long)firstNorm.num_batches_tracked!.ToDouble();

        using (var loader = Loader()) Assert.True(BatchNormRecalibration.Run(method, loader, batches: 2) > 10);

        // The first layer sees the raw crops: its running mean must be the mean of the two batches' channel means
        // (the per-batch means of equally sized batches, averaged), its running variance their unbiased variances' mean.
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor? meanSum = null, varSum = null;
        using (var loader = Loader())
            for (int k = 0; k < 2; k++)
            {
                var batch = loader.Next();
                var features = firstConv.call(tensor(batch.Images, batch.ImageTensorShape));
                var channels = features.transpose(0, 1).reshape(features.size(1), -1);
                var mean = channels.mean([1L]);
                var variance = channels.var(1L);
                meanSum = meanSum is null ? mean : meanSum + mean;
                varSum = varSum is null ? variance : varSum + variance;
            }
        Assert.True((firstNorm.running_mean! - meanSum! / 2).abs().max().ToDouble() < 1e-5);
        Assert.True(((firstNorm.running_var! - varSum! / 2) / firstNorm.running_var!).abs().max().ToDouble() < 1e-4);
        Assert.Equal(0.1, firstNorm.momentum);
        Assert.Equal(countBefore, (long)firstNorm.num_batches_tracked!.ToDouble());
        Assert.True(method.Network.training);
    }

    // Every tensor of both checkpoints (weights, BatchNorm statistics, optimiser moments, SAR maps) byte for byte.
    private static void AssertSameCheckpoint(string expectedPath, string actualPath)
    {
        using var scope = NewDisposeScope();
        var (expected, expectedMeta) = SasNet.Checkpoints.Safetensors.Load(expectedPath);
        var (actual, actualMeta) = SasNet.Checkpoints.Safetensors.Load(actualPath);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.Equal(expectedMeta["iteration"], actualMeta["iteration"]);
        Assert.Equal(expectedMeta["best_validation_dice"], actualMeta["best_validation_dice"]);
        var different = expected.Keys.Where(k => !Bits(expected[k]).AsSpan().SequenceEqual(Bits(actual[k]))).ToArray();
        Assert.True(different.Length == 0, $"{different.Length} of {expected.Count} tensors differ, e.g. {string.Join(", ", different.Take(5))}");
    }

    /// <summary>The values' bit patterns: float32, integers and bytes all convert to float64 exactly.</summary>
    internal static long[] Bits(Tensor t) => t.to(ScalarType.Float64).contiguous().data<double>().ToArray().Select(BitConverter.DoubleToInt64Bits).ToArray();

    [Fact]
    public void TruncatedCheckpointIsReportedWithItsPath()
    {
        var config = TrainingFixture.Smoke(TrainingMethod.VNet, iterations: 4);
        var data = fixture.Data(config);
        var folder = fixture.NewFolder("truncated");
        using (var method = TrainingMethods.Create(config))
            new Trainer(config, data, new TrainerOptions(folder, StopAfter: 2)).Train(method);
        var last = Path.Combine(folder, Trainer.LastCheckpoint);
        var bytes = File.ReadAllBytes(last);
        File.WriteAllBytes(last, bytes[..(bytes.Length / 2)]);

        using var resumed = TrainingMethods.Create(config);
        var resume = Assert.Throws<InvalidDataException>(() => new Trainer(config, data, new TrainerOptions(folder)).Train(resumed));
        Assert.Contains(last, resume.Message);
        Assert.Contains("truncated", resume.Message);
        var load = Assert.Throws<InvalidDataException>(() => Trainer.LoadWeights(resumed, last));
        Assert.Contains(last, load.Message);
    }

    [Fact]
    public void CheckpointOfAnotherConfigurationIsRefusedAndTheRunFolderKept()
    {
        var config = TrainingFixture.Smoke(TrainingMethod.VNet, iterations: 4);
        var other = config with { Seed = config.Seed + 1 };
        var data = fixture.Data(config);
        var folder = fixture.NewFolder("other-config");
        using (var method = TrainingMethods.Create(config))
            new Trainer(config, data, new TrainerOptions(folder, StopAfter: 2)).Train(method);

        using var otherMethod = TrainingMethods.Create(other);
        var error = Assert.Throws<InvalidOperationException>(() => new Trainer(other, data, new TrainerOptions(folder)).Train(otherMethod));
        Assert.Contains(config.ContentHash(), error.Message);
        Assert.Contains(other.ContentHash(), error.Message);
        Assert.Contains("delete the run folder", error.Message);
        // The refused run must not have replaced the folder's description of the checkpoint it holds.
        Assert.Equal(config, ExperimentConfig.FromJson(File.ReadAllText(Path.Combine(folder, "config.json"))));
    }

    [Fact]
    public void WeightsOfAnotherArchitectureAreRefusedNamingTheCheckpoint()
    {
        var vnet = TrainingFixture.Smoke(TrainingMethod.VNet, iterations: 1);
        var folder = fixture.NewFolder("architecture");
        using (var method = TrainingMethods.Create(vnet))
            new Trainer(vnet, fixture.Data(vnet), new TrainerOptions(folder, Prefetch: 0)).Train(method);
        using var sasnet = TrainingMethods.Create(TrainingFixture.Smoke(TrainingMethod.SasNet));
        var checkpoint = Path.Combine(folder, Trainer.LastCheckpoint);
        var error = Assert.Throws<ArgumentException>(() => Trainer.LoadWeights(sasnet, checkpoint));
        Assert.Contains(checkpoint, error.Message);
        Assert.Contains("module 'model'", error.Message);
    }

    private sealed class Collect(List<TrainingProgress> into) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => into.Add(value);
    }
}
