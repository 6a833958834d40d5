using SasNet.Experiments;
using SasNet.Training;
using TorchSharp;

namespace SasNet.Tests.Training;

/// <summary>Runs are published whole, and a configuration asked for twice at once trains once.</summary>
[Collection(TorchTrainingCollection.Name)]
public class RunPublishingTests(TrainingFixture fixture)
{
    private ExperimentOptions Options() => new(fixture.CacheRoot, false, ProgressReporters.None, Threads: 1);

    [Fact]
    public void TwoRunsOfOneConfigurationAtOnceTrainItOnce()
    {
        var config = TrainingFixture.Smoke(TrainingMethod.VNet, iterations: 3) with { Seed = 5151 };
        // The first holds the lock while it trains; the second must wait for it and read its published run.
        var results = new ExperimentResult[2];
        var threads = Enumerable.Range(0, 2).Select(i => new Thread(() => results[i] = Experiment.Run(config, Options()))).ToList();
        threads[0].Start();
        var lockPath = RunLock.PathFor(fixture.CacheRoot, config.RunName);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (RunLock.TryAcquire(fixture.CacheRoot, config.RunName) is { } free && DateTime.UtcNow < deadline)
        {
            free.Dispose();
            if (results[0] is not null) break;
            Thread.Sleep(5);
        }
        threads[1].Start();
        foreach (var thread in threads) thread.Join();

        Assert.Equal(1, results.Count(r => !r.FromCache));
        Assert.Equal(results[0].TestMetrics.Mean.Dice, results[1].TestMetrics.Mean.Dice);
        Assert.Equal(results[0].SelectedCheckpoint, results[1].SelectedCheckpoint);
        Assert.True(File.Exists(results[1].SelectedCheckpoint));
        Assert.False(Directory.Exists(RunFolder.StagingPathFor(fixture.CacheRoot, config)));
        // Released: the next taker gets it at once.
        using var again = RunLock.TryAcquire(fixture.CacheRoot, config.RunName);
        Assert.NotNull(again);
        Assert.True(File.Exists(lockPath));
        Assert.Contains($"pid {Environment.ProcessId}", RunLock.Holder(fixture.CacheRoot, config.RunName));
    }

    [Fact]
    public void AnInterruptedTrainingIsNotPublishedAndTheNextRunResumesIt()
    {
        var config = TrainingFixture.Smoke(TrainingMethod.VNet, iterations: 4) with { Seed = 5152 };
        var staging = RunFolder.StagingPathFor(fixture.CacheRoot, config);
        var published = RunFolder.PathFor(fixture.CacheRoot, config);
        // A training killed half-way leaves its checkpoint in the staging folder, nothing under runs/.
        using (var method = TrainingMethods.Create(config))
            new Trainer(config, fixture.Data(config), new TrainerOptions(staging, CheckpointEvery: 2, StopAfter: 2)).Train(method);
        Assert.True(File.Exists(Path.Combine(staging, Trainer.LastCheckpoint)));
        Assert.False(Directory.Exists(published));

        var resumed = Experiment.Run(config, Options());
        Assert.False(resumed.FromCache);
        Assert.Equal(published, resumed.Folder);
        Assert.False(Directory.Exists(staging));
        Assert.Equal([1, 2, 3, 4], resumed.History.Iterations.Select(r => r.Iteration));
        Assert.True(File.Exists(Path.Combine(published, "result.json")));
        Assert.True(Experiment.Run(config, Options()).FromCache);
    }
}
