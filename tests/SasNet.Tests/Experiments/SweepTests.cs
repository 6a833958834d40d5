using SasNet.Experiments;
using SasNet.Experiments.Sweeps;
using SasNet.Testing;
using SasNet.Tests.Cli;
using SasNet.Tests.Training;
using SasNet.Training;

namespace SasNet.Tests.Experiments;

/// <summary>
/// Sweeps without a cluster: the recording mode that plans them, the folder they live in, their status, and the local
/// scheduler. In the serial training collection: recording mode is a process-wide environment variable.
/// </summary>
[Collection(TorchTrainingCollection.Name)]
public class SweepTests(TrainingFixture fixture)
{
    [Fact]
    public void WhilePlanningRunsAreRecordedNotTrainedAndCachedOnesComeBack()
    {
        var cached = TrainingFixture.Smoke(TrainingMethod.VNet, iterations: 2) with { Seed = 6101 };
        var options = new ExperimentOptions(fixture.CacheRoot, Progress: ProgressReporters.None, Threads: 1);
        var trained = Experiment.Run(cached, options);
        var planned = cached with { Seed = 6102 };
        var record = Path.Combine(fixture.NewFolder("plan"), "record.jsonl");
        Environment.SetEnvironmentVariable(SweepPlanning.RecordVariable, record);
        Environment.SetEnvironmentVariable(SweepPlanning.NotebookPathVariable, "/somewhere/02-sar.ipynb");
        ExperimentResult fromCache, notTrained, again;
        try
        {
            fromCache = Experiment.Run(cached, options);
            notTrained = Experiment.Run(planned, options);
            again = Experiment.Run(planned, options);
        }
        finally
        {
            Environment.SetEnvironmentVariable(SweepPlanning.RecordVariable, null);
            Environment.SetEnvironmentVariable(SweepPlanning.NotebookPathVariable, null);
        }

        Assert.True(fromCache.FromCache);
        Assert.Equal(trained.TestMetrics.Mean.Dice, fromCache.TestMetrics.Mean.Dice);
        Assert.True(notTrained.IsPlanned);
        Assert.False(Directory.Exists(RunFolder.PathFor(fixture.CacheRoot, planned)));
        Assert.False(Directory.Exists(RunFolder.StagingPathFor(fixture.CacheRoot, planned)));
        var refusal = Assert.Throws<InvalidOperationException>(() => notTrained.TestMetrics);
        Assert.Contains("planned for a sweep", refusal.Message);
        Assert.Throws<InvalidOperationException>(() => notTrained.LoadMethod());
        Assert.Contains("planned for the sweep", notTrained.ToString());
        Assert.True(again.IsPlanned);
        // Three calls of two configurations, recorded with their notebook and the same cache keys.
        var recorded = SweepPlanning.Read(record);
        Assert.Equal([cached.RunName, planned.RunName, planned.RunName], recorded.Select(r => r.Config.RunName));
        Assert.All(recorded, r => Assert.Equal("02-sar", r.Notebook));
        File.AppendAllText(record, "{\"notebook\": \"x\"}\n");
        Assert.Contains("line 4", Assert.Throws<InvalidDataException>(() => SweepPlanning.Read(record)).Message);
    }

    [Fact]
    public void TheLocalSchedulerStartsTheLongestTrainingsFirst()
    {
        var vnet = TrainingFixture.Smoke(TrainingMethod.VNet) with { Seed = 6301 };
        var sassnet = TrainingFixture.Smoke(TrainingMethod.SassNet) with { Seed = 6302 };
        var sasnet = TrainingFixture.Smoke(TrainingMethod.SasNet) with { Seed = 6303 };
        var longer = vnet with { Seed = 6304, Optimisation = vnet.Optimisation with { Iterations = vnet.Optimisation.Iterations * 4 } };
        var sweep = Sweep.Create(Path.Combine(fixture.NewFolder("order"), "s"), fixture.CacheRoot, "/opt/kit/sasnet",
            [new(vnet, "nb"), new(sassnet, "nb"), new(sasnet, "nb"), new(longer, "nb")], ["nb"], new Dictionary<string, string>());
        var byCost = sweep.Runs.OrderByDescending(r => LocalScheduler.EstimatedCost(sweep, r)).Select(r => r.Run).ToList();
        Assert.Equal([longer.RunName, sasnet.RunName, sassnet.RunName, vnet.RunName], byCost);
    }

    [Fact]
    public void ASweepFolderKeepsOneConfigurationPerRunAndSaysWhatIsWrongWithABadOne()
    {
        var folder = Path.Combine(fixture.NewFolder("sweep"), "s");
        var a = TrainingFixture.Smoke(TrainingMethod.VNet) with { Seed = 6201 };
        var b = a with { Seed = 6202 };
        var sweep = Sweep.Create(folder, fixture.CacheRoot, "/opt/kit/sasnet", [new(a, "01"), new(b, "01"), new(a, "02")], ["01", "02"],
            new Dictionary<string, string> { ["Scale"] = "Smoke" });

        var opened = Sweep.Open(folder);
        Assert.Equal([a.RunName, b.RunName], opened.Runs.Select(r => r.Run));
        Assert.Equal(["01", "02"], opened.Runs[0].Notebooks);
        Assert.Equal(a.RunName, opened.LoadConfig(opened.Runs[0]).RunName);
        Assert.Equal("Smoke", opened.Parameters["Scale"]);
        Assert.Contains("'/opt/kit/sasnet' train --config", File.ReadAllText(sweep.TaskScript));
        Assert.All(SweepStatus.Of(opened), s => Assert.Equal(SweepRunState.Planned, s.State));

        var again = Assert.Throws<IOException>(() => Sweep.Create(folder, fixture.CacheRoot, "/opt/kit/sasnet", [new(a, "01")], ["01"], new Dictionary<string, string>()));
        Assert.Contains("already holds a sweep", again.Message);
        File.WriteAllText(opened.ConfigPath(opened.Runs[1]), "{ \"Iterations\": \"many\" }");
        var bad = Assert.Throws<InvalidDataException>(() => opened.LoadConfig(opened.Runs[1]));
        Assert.Contains(b.RunName + ".json", bad.Message);
        File.Delete(opened.ConfigPath(opened.Runs[1]));
        var missing = Assert.Throws<InvalidDataException>(() => Sweep.Open(folder));
        Assert.Contains($"configuration file of {b.RunName}", missing.Message);
        File.WriteAllText(Path.Combine(folder, Sweep.ManifestFile), "[");
        Assert.Contains(Sweep.ManifestFile, Assert.Throws<InvalidDataException>(() => Sweep.Open(folder)).Message);
        Assert.Throws<FileNotFoundException>(() => Sweep.Open(fixture.NewFolder("empty")));
    }

    [Fact]
    public void ARunWhoseLockIsHeldIsRunningWithItsLastProgressLine()
    {
        var config = TrainingFixture.Smoke(TrainingMethod.VNet) with { Seed = 6501 };
        var cache = fixture.NewFolder("status-cache");
        var sweep = Sweep.Create(Path.Combine(fixture.NewFolder("status"), "s"), cache, "/opt/kit/sasnet", [new(config, "nb")], ["nb"], new Dictionary<string, string>());
        sweep.AddSubmission(new SweepSubmission("local", "", [config.RunName], DateTime.UtcNow));
        Directory.CreateDirectory(Path.GetDirectoryName(sweep.LogPath(config.RunName))!);
        // A long log: the progress line is found in its tail.
        File.WriteAllLines(sweep.LogPath(config.RunName), Enumerable.Range(1, 3000).Select(i => $"[{config.RunName}] {i}/3000 loss 0.5 | 0:01 elapsed, 0:02 left")
            .Append("validating …"));

        using (RunLock.TryAcquire(cache, config.RunName))
        {
            var running = Assert.Single(SweepStatus.Of(sweep));
            Assert.Equal(SweepRunState.Running, running.State);
            Assert.Equal("training (its lock is held): 3000/3000 loss 0.5 | 0:01 elapsed, 0:02 left", running.Detail);
        }
        // Released with no result and no exit code: the task was killed.
        var killed = Assert.Single(SweepStatus.Of(sweep));
        Assert.Equal(SweepRunState.Failed, killed.State);
        Assert.Contains("without an exit code", killed.Detail);
        Assert.Equal("validating …", killed.LogTail[^1]);
        Assert.Equal(SweepStatus.LogTailLines, killed.LogTail.Count);
    }

    [Fact]
    public async Task TheLocalSchedulerTrainsEachRunOnceAndABadConfigurationFailsAloneWithItsReason()
    {
        var kit = ExternalProcess.PublishedKit;
        if (!ExternalRequirement.Met(kit is null ? "the CLI is not published under artifacts/kit (environment/setup.sh)" : null)) return;
        var cache = fixture.NewFolder("local-cache");
        var good = TrainingFixture.Smoke(TrainingMethod.VNet, iterations: 3) with { Seed = 6301 };
        var bad = good with { Data = good.Data with { LabeledCount = 0 }, Seed = 6302 };
        var sweep = Sweep.Create(Path.Combine(fixture.NewFolder("local"), "s"), cache, kit!, [new(good, "nb"), new(bad, "nb")], ["nb"], new Dictionary<string, string>());

        var log = new StringWriter();
        int failed = await LocalScheduler.RunAsync(sweep, sweep.Unfinished(), jobs: 2, log);

        Assert.True(failed == 1, log.ToString());
        var statuses = SweepStatus.Of(Sweep.Open(sweep.Folder));
        Assert.Equal(SweepRunState.Done, statuses[0].State);
        Assert.True(RunFolder.IsPublished(cache, good.RunName));
        Assert.Equal(SweepRunState.Failed, statuses[1].State);
        Assert.Equal("exit code 2", statuses[1].Detail);
        Assert.Contains(statuses[1].LogTail, line => line.Contains("LabeledCount must be at least 1", StringComparison.Ordinal));
        Assert.Contains("1 done, 0 running, 0 pending, 1 failed, 0 planned", SweepStatus.Summary(statuses));
        Assert.Contains("SASNET_THREADS", File.ReadAllText(sweep.TaskScript));
        Assert.Contains($"task {good.RunName} ended with exit code 0", File.ReadAllText(sweep.LogPath(good.RunName)));
        Assert.Equal(["local"], Sweep.Open(sweep.Folder).Submissions.Select(s => s.Scheduler));
    }

    [Fact]
    public void APlanWhoseNotebookFailsForAnotherReasonSaysWhichAndWritesNoSweep()
    {
        var kit = ExternalProcess.PublishedKit;
        if (!ExternalRequirement.Met(kit is null ? "the CLI is not published under artifacts/kit (environment/setup.sh)" : null)) return;
        var folder = Path.Combine(fixture.NewFolder("bad-plan"), "s");
        var notebook = Path.Combine(KitPaths.RepositoryRoot()!, "notebooks", "05-decoder-depth.ipynb");
        var plan = ExternalProcess.Run(kit!, ["sweep", "plan", notebook, "--scale", "Smoke", "--dataset", "LA", "--data-root", "/nonexistent/LA", "--output", folder],
            TimeSpan.FromMinutes(3));
        var error = plan.Error;

        Assert.True(plan.ExitCode == 1, plan.ToString());
        Assert.Contains("05-decoder-depth failed in cell", error);
        Assert.Contains("for a reason other than a planned result", error);
        Assert.Contains("/nonexistent/LA", error);
        Assert.False(File.Exists(Path.Combine(folder, Sweep.ManifestFile)));
        // The runner's cell-by-cell output went to the plan's log, not to the terminal.
        Assert.DoesNotContain("  cell ", plan.Output);
        Assert.Contains("05-decoder-depth", File.ReadAllText(Path.Combine(folder, "plan", "run.log")));
    }
}
