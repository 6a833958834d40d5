using System.Diagnostics;
using System.Globalization;
using SasNet.IO;
using SasNet.Models;
using SasNet.Training;

namespace SasNet.Experiments.Sweeps;

/// <summary>
/// A sweep on one machine: the same <c>task.sh</c> as under Slurm, for each run, as up to <c>jobs</c> child processes at
/// a time, each with an equal share of the cores as its libtorch threads, the longest first (<see cref="EstimatedCost"/>)
/// so that no long training is left running alone at the end. Blocks until every task has ended.
/// </summary>
public static class LocalScheduler
{
    /// <summary>Runs <paramref name="runs"/> and returns how many tasks failed (a non-zero exit code).</summary>
    /// <param name="sweep">The sweep.</param>
    /// <param name="runs">The runs to train (usually <see cref="Sweep.Unfinished"/>).</param>
    /// <param name="jobs">Tasks at once (at least 1).</param>
    /// <param name="log">One line per task started and ended.</param>
    /// <param name="cancellationToken">Stops the running tasks (they resume when run again).</param>
    public static async Task<int> RunAsync(Sweep sweep, IReadOnlyList<SweepRun> runs, int jobs, TextWriter log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentOutOfRangeException.ThrowIfLessThan(jobs, 1);
        sweep.AddSubmission(new SweepSubmission("local", "", runs.Select(r => r.Run).ToList(), DateTime.UtcNow));
        int threads = Math.Max(1, Environment.ProcessorCount / jobs);
        int failed = 0, finished = 0;
        using var slots = new SemaphoreSlim(jobs);
        var ordered = runs.OrderByDescending(run => EstimatedCost(sweep, run)).ToList(); // a stable sort: ties keep the plan's order
        var tasks = ordered.Select(async run =>
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                lock (log) log.WriteLine($"▶ {run.Run}: training ({threads} thread(s)); log {sweep.LogPath(run.Run)}");
                int code = await RunTaskAsync(sweep, run, threads, cancellationToken).ConfigureAwait(false);
                lock (log)
                {
                    finished++;
                    if (code != 0) failed++;
                    log.WriteLine(code == 0
                        ? $"✔ {run.Run} ({finished} of {runs.Count})"
                        : $"✘ {run.Run}: exit code {code} ({finished} of {runs.Count}); see {sweep.LogPath(run.Run)}");
                }
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return failed;
    }

    /// <summary>
    /// A training's cost relative to the others: iterations × patch voxels × the method's cost per voxel, from Quick
    /// trainings on one thread (V-Net 160 s, one-branch SASNet 190 s, two-branch SASNet 290 s) and SASSNet's step against
    /// V-Net's (0.77 against 0.49 s, its discriminator 4 × the V-Net's filters wide). 0 for a configuration that does not
    /// load: it fails at once.
    /// </summary>
    public static double EstimatedCost(Sweep sweep, SweepRun run)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ExperimentConfig config;
        try { config = sweep.LoadConfig(run); }
        catch (InvalidDataException) { return 0; }
        double perVoxel = config.Method switch
        {
            TrainingMethod.SassNet => 1.6,
            TrainingMethod.SasNet => config.Model.Branches == DecoderBranches.Both ? 1.8 : 1.2,
            _ => 1.0,
        };
        return perVoxel * config.Optimisation.Iterations * config.Data.PatchSize.Count;
    }

    private static async Task<int> RunTaskAsync(Sweep sweep, SweepRun run, int threads, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("bash");
        start.ArgumentList.Add(sweep.TaskScript);
        start.ArgumentList.Add(run.Run);
        start.Environment["SASNET_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
        // A task of a local sweep is not a Slurm task, even when this command runs inside one.
        foreach (var name in new[] { "SLURM_JOB_ID", "SLURM_ARRAY_JOB_ID", "SLURM_ARRAY_TASK_ID", "SLURM_RESTART_COUNT", "SLURM_CPUS_PER_TASK" })
            start.Environment.Remove(name);
        return await ChildProcess.RunAsync(start, cancellationToken).ConfigureAwait(false);
    }
}
