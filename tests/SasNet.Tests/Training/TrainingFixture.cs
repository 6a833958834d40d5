using SasNet.Data.Sampling;
using SasNet.Training;
using static TorchSharp.torch;

namespace SasNet.Tests.Training;

/// <summary>
/// Tests that train run alone: libtorch's generator is process-wide, so dropout masks of a run would change if
/// another test drew random numbers meanwhile, and bitwise comparisons would fail for no fault of the trainer.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchTrainingCollection : ICollectionFixture<TrainingFixture>
{
    public const string Name = "torch training (serial)";
}

/// <summary>
/// One temporary cache folder for the whole collection, with the Smoke phantoms generated once (every Smoke
/// configuration shares them), and torch on one thread so that runs are bitwise reproducible.
/// </summary>
public sealed class TrainingFixture : IDisposable
{
    public TrainingFixture()
    {
        CacheRoot = Directory.CreateTempSubdirectory("sasnet-training-tests-").FullName;
        set_num_threads(1);
        // Generating the phantoms here keeps the first test's timing honest.
        ExperimentData.Prepare(Smoke(TrainingMethod.SasNet), CacheRoot);
    }

    /// <summary>Cache root holding the phantoms (and the runs of tests that use <see cref="Experiments.Experiment"/>).</summary>
    public string CacheRoot { get; }

    /// <summary>The Smoke configuration of a method.</summary>
    public static ExperimentConfig Smoke(TrainingMethod method) => ExperimentConfig.Create(method, ExperimentScale.Smoke);

    /// <summary>The Smoke configuration of a method, trained for <paramref name="iterations"/> iterations.</summary>
    public static ExperimentConfig Smoke(TrainingMethod method, int iterations)
    {
        var config = Smoke(method);
        return config with { Optimisation = config.Optimisation with { Iterations = iterations } };
    }

    /// <summary>
    /// The Smoke configuration with SASSNet's batch halved: its discriminator (16→128 channels beside the 4-filter
    /// V-Net it judges) runs forward and backward twice per step, so SASSNet's steps cost several V-Net steps.
    /// </summary>
    public static ExperimentConfig Lean(TrainingMethod method)
    {
        var config = Smoke(method);
        return method == TrainingMethod.SassNet ? config with { Data = config.Data with { BatchSize = 2, LabeledBatchSize = 1 } } : config;
    }

    public ExperimentData Data(ExperimentConfig config) => ExperimentData.Prepare(config, CacheRoot);

    /// <summary>A fresh, empty folder under the cache root.</summary>
    public string NewFolder(string name) => Directory.CreateDirectory(Path.Combine(CacheRoot, "t", $"{name}-{Guid.NewGuid():N}")).FullName;

    /// <summary>The first batch the trainer would draw for <paramref name="config"/> (same sampler settings).</summary>
    public TrainingBatch FirstBatch(ExperimentConfig config)
    {
        var data = Data(config);
        var pipeline = new PatchPipeline(data.Split.TrainingCases(), data.Augmentation);
        using var loader = new BatchLoader(pipeline, Trainer.CreateSampler(config, data.Split), config.Seed, prefetch: 0);
        return loader.Next();
    }

    public void Dispose()
    {
        try { Directory.Delete(CacheRoot, recursive: true); } catch (IOException) { }
    }
}

/// <summary>A temporary folder deleted when disposed (for tests outside the training collection).</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix = "sasnet-test-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
