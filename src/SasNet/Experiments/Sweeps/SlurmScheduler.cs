using System.Globalization;
using System.Text;
using SasNet.IO;

namespace SasNet.Experiments.Sweeps;

/// <summary>What a Slurm array job asks for per task (<c>sbatch</c> options; null leaves the cluster's default).</summary>
/// <param name="Partition"><c>--partition</c>.</param>
/// <param name="GpusPerTask"><c>--gpus-per-task</c>; the tasks should then train with <c>Device = cuda</c> (plan with <c>--device cuda</c>).</param>
/// <param name="Time"><c>--time</c>, e.g. <c>12:00:00</c>; a task that runs out is killed and, requeued, resumes.</param>
/// <param name="CpusPerTask"><c>--cpus-per-task</c>; also the task's libtorch threads.</param>
/// <param name="Memory"><c>--mem</c> per task, e.g. <c>32G</c>.</param>
/// <param name="MaxParallel">At most this many tasks at once (<c>--array=…%N</c>).</param>
public sealed record SlurmOptions(string? Partition = null, int? GpusPerTask = null, string? Time = null, int? CpusPerTask = null,
    string? Memory = null, int? MaxParallel = null);

/// <summary>A Slurm array task's state as the scheduler reports it.</summary>
/// <param name="State">Slurm's name: PENDING, RUNNING, COMPLETED, FAILED, TIMEOUT, CANCELLED, NODE_FAIL, …</param>
/// <param name="Detail">Slurm's reason (pending) or exit code (ended), when it gives one.</param>
public sealed record SlurmTaskState(string State, string Detail);

/// <summary>
/// Sweeps on Slurm: one array job per submission, task <c>i</c> running <c>task.sh</c> for the submission's run
/// <c>i</c>, requeued (not failed) when its node fails or it is preempted; states read from <c>squeue</c>, and for
/// ended tasks from <c>sacct</c> where the cluster keeps accounting, else from <c>scontrol show job</c>.
/// </summary>
public static class SlurmScheduler
{
    /// <summary>Writes the array script for <paramref name="runs"/> and submits it with <c>sbatch</c>; records the submission.</summary>
    /// <returns>The submission (its array job id).</returns>
    /// <exception cref="InvalidOperationException"><c>sbatch</c> is missing or refused the job (its message).</exception>
    public static SweepSubmission Submit(Sweep sweep, IReadOnlyList<SweepRun> runs, SlurmOptions options)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(options);
        if (runs.Count == 0) throw new ArgumentException("no runs to submit", nameof(runs));
        var number = sweep.NextSubmissionNumber();
        var relative = Path.Combine("slurm", $"array-{number}.sh");
        var script = Path.Combine(sweep.Folder, relative);
        Directory.CreateDirectory(Path.Combine(sweep.Folder, "slurm"));
        AtomicFile.WriteAllText(script, ArrayScript(sweep, runs, options, number));
        var (code, output, error) = SchedulerCommand.Run("sbatch", ["--parsable", script]);
        if (code != 0) throw new InvalidOperationException($"sbatch refused {script} (exit {code}): {error.Trim()}{output.Trim()}");
        // --parsable prints "jobid" or "jobid;cluster".
        var job = output.Trim().Split(';')[0];
        var submission = new SweepSubmission("slurm", job, runs.Select(r => r.Run).ToList(), DateTime.UtcNow, relative);
        sweep.AddSubmission(submission);
        return submission;
    }

    /// <summary>The batch script of one submission: the array, the resources, and the run of each task.</summary>
    public static string ArrayScript(Sweep sweep, IReadOnlyList<SweepRun> runs, SlurmOptions options, string number)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(options);
        var text = new StringBuilder();
        text.AppendLine("#!/usr/bin/env bash");
        text.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --job-name=sasnet-sweep-{number}");
        var array = $"0-{runs.Count - 1}" + (options.MaxParallel is { } max ? $"%{max}" : "");
        text.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --array={array}");
        // Requeued on node failure or preemption (and by 'scontrol requeue'); the task resumes from its checkpoint.
        text.AppendLine("#SBATCH --requeue");
        // Slurm's own output (e.g. 'CANCELLED … DUE TO TIME LIMIT'), appended across restarts; the training logs to logs/<run>.log.
        text.AppendLine("#SBATCH --open-mode=append");
        text.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --output={Path.Combine(sweep.Folder, "slurm", "task-%A_%a.out")}");
        if (options.Partition is { } partition) text.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --partition={partition}");
        if (options.GpusPerTask is { } gpus) text.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --gpus-per-task={gpus}");
        if (options.Time is { } time) text.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --time={time}");
        if (options.CpusPerTask is { } cpus) text.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={cpus}");
        if (options.Memory is { } memory) text.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --mem={memory}");
        text.AppendLine("runs=(");
        foreach (var run in runs) text.AppendLine(CultureInfo.InvariantCulture, $"  {SweepTaskScript.Quote(run.Run)}");
        text.AppendLine(")");
        text.AppendLine(CultureInfo.InvariantCulture, $"exec bash {SweepTaskScript.Quote(sweep.TaskScript)} \"${{runs[$SLURM_ARRAY_TASK_ID]}}\"");
        return text.ToString();
    }

    /// <summary>
    /// The state of each task of array job <paramref name="job"/> that Slurm still knows, by task index: live tasks from
    /// <c>squeue</c>, ended ones from <c>sacct</c> when accounting is on, else from <c>scontrol show job</c> (which keeps
    /// them for the cluster's MinJobAge).
    /// </summary>
    /// <exception cref="InvalidOperationException"><c>squeue</c> is missing or fails (its message).</exception>
    public static IReadOnlyDictionary<int, SlurmTaskState> Query(string job)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(job);
        var states = new Dictionary<int, SlurmTaskState>();
        foreach (var (index, state) in Ended(job)) states[index] = state;
        var (code, output, error) = SchedulerCommand.Run("squeue", ["--jobs", job, "--array", "--noheader", "--format=%K|%T|%r"]);
        // squeue exits non-zero for a job id it has forgotten; then only the ended states remain.
        if (code != 0 && !error.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"squeue --jobs {job} failed (exit {code}): {error.Trim()}");
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split('|');
            if (parts.Length >= 3 && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var index))
                states[index] = new SlurmTaskState(parts[1], parts[2] == "None" ? "" : parts[2]);
        }
        return states;
    }

    // Ended tasks: sacct where accounting is on, else scontrol's records of recently ended jobs.
    private static IEnumerable<(int Index, SlurmTaskState State)> Ended(string job)
    {
        var (code, output, _) = SchedulerCommand.Run("sacct", ["--jobs", job, "--allocations", "--noheader", "--parsable2", "--format=JobID,State,ExitCode"]);
        if (code == 0 && output.Trim().Length > 0)
        {
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var parts = line.Split('|');
                if (parts.Length >= 3 && TaskIndex(parts[0], job) is { } index)
                    yield return (index, new SlurmTaskState(parts[1].Split(' ')[0], $"exit code {parts[2]}"));
            }
            yield break;
        }
        (code, output, _) = SchedulerCommand.Run("scontrol", ["--oneliner", "show", "job", job]);
        if (code != 0) yield break;
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(f => f.Split('=', 2)).Where(f => f.Length == 2)
                .GroupBy(f => f[0]).ToDictionary(g => g.Key, g => g.First()[1]);
            if (fields.TryGetValue("ArrayTaskId", out var task) && int.TryParse(task, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index)
                && fields.TryGetValue("JobState", out var state))
                yield return (index, new SlurmTaskState(state, fields.TryGetValue("ExitCode", out var exit) ? $"exit code {exit}" : ""));
        }
    }

    // "123_4" of array job 123 → 4.
    private static int? TaskIndex(string jobId, string job) =>
        jobId.StartsWith(job + "_", StringComparison.Ordinal) && int.TryParse(jobId[(job.Length + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var index)
            ? index : null;
}
