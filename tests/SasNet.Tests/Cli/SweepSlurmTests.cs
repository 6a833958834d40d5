using SasNet.Experiments;
using SasNet.Experiments.Sweeps;
using SasNet.Testing;
using SasNet.Tests.Training;
using SasNet.Training;

namespace SasNet.Tests.Cli;

/// <summary>
/// Sweeps on a real Slurm cluster, end to end through the published <c>sasnet</c>: <c>environment/test.sh</c> brings up
/// a one-node cluster on this machine (<c>environment/slurm/local-cluster.sh</c>) and exports its <c>SLURM_CONF</c>. In
/// the serial training collection, so that the tasks have the cores to themselves.
/// </summary>
[Collection(TorchTrainingCollection.Name)]
public class SweepSlurmTests(TrainingFixture fixture)
{
    private static string? Repository => KitPaths.RepositoryRoot();

    private static string? Kit => ExternalProcess.PublishedKit;

    // What the test needs that the set-up provides, or null when all is there.
    private static string? Missing()
    {
        if (Kit is null) return "the CLI is not published under artifacts/kit (environment/setup.sh)";
        if (!File.Exists(Path.Combine(Path.GetDirectoryName(Kit)!, NotebookCommandsRunner))) return "the notebook runner is not published under artifacts/kit";
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SLURM_CONF"))) return "no Slurm cluster: SLURM_CONF is not set (environment/test.sh starts one with environment/slurm/local-cluster.sh)";
        var sinfo = Run("sinfo", ["--noheader", "--format=%T"], TimeSpan.FromSeconds(20));
        return sinfo.ExitCode == 0 && sinfo.Output.Trim().Length > 0 ? null : $"the Slurm cluster does not answer: sinfo says {sinfo}";
    }

    private const string NotebookCommandsRunner = SasNet.Cli.Commands.NotebookCommands.RunnerRelativePath;

    private static ProcessOutcome Run(string program, IReadOnlyList<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null) =>
        ExternalProcess.Run(program, arguments, timeout, environment);

    private static ProcessOutcome Sasnet(TimeSpan timeout, params string[] arguments) => Run(Kit!, arguments, timeout);

    [Fact]
    public void ANotebooksSweepRunsOnSlurmAndTheNotebookThenTrainsNothing()
    {
        if (!ExternalRequirement.Met(Missing())) return;
        var work = fixture.NewFolder("slurm-sweep");
        var cache = Path.Combine(work, "cache");
        var sweepFolder = Path.Combine(work, "sweep");
        var notebook = Path.Combine(Repository!, "notebooks", "05-decoder-depth.ipynb");

        var plan = Sasnet(TimeSpan.FromMinutes(5), "sweep", "plan", notebook, "--scale", "Smoke", "--output", sweepFolder, "--cache", cache);
        Assert.True(plan.ExitCode == 0, plan.ToString());
        // The cells that need a trained result stop on purpose: that is in the log, and no failure on the terminal.
        Assert.DoesNotContain("FAILED", plan.Output + plan.Error);
        Assert.Contains(SweepPlanning.PlannedMarker, File.ReadAllText(Path.Combine(sweepFolder, "plan", "run.log")));
        Assert.Contains("05-decoder-depth: 2 training(s) asked for", plan.Output);
        var sweep = Sweep.Open(sweepFolder);
        // The notebook's two rows: the 3-level and the default 4-level low-level decoder.
        Assert.Equal(2, sweep.Runs.Count);
        Assert.All(sweep.Runs, r => Assert.Equal(["05-decoder-depth"], r.Notebooks));
        Assert.False(Directory.Exists(Path.Combine(cache, "runs")));

        var submit = Sasnet(TimeSpan.FromMinutes(1), "sweep", "submit", sweepFolder, "--scheduler", "slurm", "--cpus-per-task", "1", "--time", "00:20:00");
        Assert.True(submit.ExitCode == 0, submit.ToString());
        Assert.Contains("as Slurm array job", submit.Output);
        var wait = Sasnet(TimeSpan.FromMinutes(10), "sweep", "status", sweepFolder, "--wait", "--poll", "1");
        Assert.True(wait.ExitCode == 0, wait.ToString() + Logs(Sweep.Open(sweepFolder)));
        Assert.Contains("2 done, 0 running, 0 pending, 0 failed, 0 planned", wait.Output);
        var script = File.ReadAllText(Path.Combine(sweepFolder, Sweep.Open(sweepFolder).Submissions.Single().Script!));
        Assert.Contains("#SBATCH --array=0-1", script);
        Assert.Contains("#SBATCH --requeue", script);
        Assert.Contains("#SBATCH --time=00:20:00", script);
        var published = sweep.Runs.ToDictionary(r => r.Run, r => File.GetLastWriteTimeUtc(Path.Combine(RunFolder.PathFor(cache, r.Run), RunFolder.ResultFile)));

        // The notebook itself, as a user runs it afterwards: every result from the cache.
        var output = Path.Combine(work, "out");
        var notebookRun = Run(Kit!, ["notebooks", "run", notebook, "--scale", "Smoke", "--output", output, "--no-html"], TimeSpan.FromMinutes(5),
            new Dictionary<string, string> { ["SASNET_CACHE"] = cache });
        Assert.True(notebookRun.ExitCode == 0, notebookRun.ToString());
        var executed = File.ReadAllText(Path.Combine(output, "05-decoder-depth.ipynb"));
        foreach (var run in sweep.Runs) Assert.Contains($"{run.Run}: test Dice", executed);
        Assert.Equal(2, CountOf(executed, "cases (cached)"));
        Assert.DoesNotContain("trained in", executed);
        Assert.Equal(published.Keys.Order(), Directory.GetDirectories(Path.Combine(cache, "runs")).Select(Path.GetFileName).Order()!);
        foreach (var (run, written) in published)
            Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(RunFolder.PathFor(cache, run), RunFolder.ResultFile)));
        Assert.Empty(Directory.Exists(Path.Combine(cache, "training")) ? Directory.GetDirectories(Path.Combine(cache, "training")) : []);
    }

    [Fact]
    public void ARequeuedTaskResumesFromItsCheckpointAndABadConfigurationFailsAlone()
    {
        if (!ExternalRequirement.Met(Missing())) return;
        var work = fixture.NewFolder("slurm-requeue");
        var cache = Path.Combine(work, "cache");
        // Long enough to be caught between its first checkpoint (iteration 10) and its end.
        var longRun = TrainingFixture.Smoke(TrainingMethod.VNet, iterations: 100) with { Seed = 6401 };
        var bad = longRun with { Data = longRun.Data with { LabeledCount = 0 }, Seed = 6402 };
        var sweep = Sweep.Create(Path.Combine(work, "sweep"), cache, Kit!, [new(longRun, "test"), new(bad, "test")], ["test"], new Dictionary<string, string>());
        var submit = Sasnet(TimeSpan.FromMinutes(1), "sweep", "submit", sweep.Folder, "--cpus-per-task", "1");
        Assert.True(submit.ExitCode == 0, submit.ToString());
        Assert.Contains($"warning: {bad.RunName} will fail", submit.Output);
        var job = Sweep.Open(sweep.Folder).Submissions.Single().Job;

        // Kill the training after its first checkpoint; Slurm puts the task back in the queue.
        var checkpoint = Path.Combine(RunFolder.StagingPathFor(cache, longRun), Trainer.LastCheckpoint);
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!File.Exists(checkpoint) && DateTime.UtcNow < deadline) Thread.Sleep(100);
        Assert.True(File.Exists(checkpoint), "no checkpoint within 3 minutes\n" + Logs(sweep));
        var requeue = Run("scontrol", ["requeue", $"{job}_0"], TimeSpan.FromSeconds(30));
        Assert.True(requeue.ExitCode == 0, requeue.ToString());
        Assert.False(RunFolder.IsPublished(cache, longRun.RunName));
        // A requeued task waits for its BeginTime (a couple of minutes); start it now.
        Thread.Sleep(1000);
        var release = Run("scontrol", ["update", $"JobId={job}_0", "StartTime=now"], TimeSpan.FromSeconds(30));
        Assert.True(release.ExitCode == 0, release.ToString());

        var wait = Sasnet(TimeSpan.FromMinutes(10), "sweep", "status", sweep.Folder, "--wait", "--poll", "1");
        // Not every run is done (the bad one failed): exit 1, with the reason from its log.
        Assert.True(wait.ExitCode == 1, wait.ToString());
        Assert.Contains("1 done, 0 running, 0 pending, 1 failed, 0 planned", wait.Output);
        Assert.Contains("LabeledCount must be at least 1", wait.Output);
        var log = File.ReadAllText(sweep.LogPath(longRun.RunName));
        Assert.True(log.Contains($"Slurm job {job}_0", StringComparison.Ordinal) && log.Contains("restart 1)", StringComparison.Ordinal), log);
        Assert.Contains("resuming from the checkpoint in", log);
        // Bitwise resume keeps the history whole: every iteration once, in order.
        var result = Experiment.Run(longRun, new ExperimentOptions(cache, Progress: ProgressReporters.None, Threads: 1));
        Assert.True(result.FromCache);
        Assert.Equal(Enumerable.Range(1, 100), result.History.Iterations.Select(r => r.Iteration));
    }

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }

    private static string Logs(Sweep sweep) =>
        string.Join("\n", sweep.Runs.Select(r => sweep.LogPath(r.Run)).Where(File.Exists).Select(p => $"--- {p}\n{File.ReadAllText(p)}"));
}
