using System.Globalization;

namespace SasNet.Experiments.Sweeps;

/// <summary>Where a run of a sweep stands.</summary>
public enum SweepRunState
{
    /// <summary>Published in the cache: notebooks read it instead of training.</summary>
    Done,
    /// <summary>A task is training it.</summary>
    Running,
    /// <summary>Submitted and waiting for the scheduler (or requeued).</summary>
    Pending,
    /// <summary>Its last task ended without publishing the run.</summary>
    Failed,
    /// <summary>In the plan, never submitted.</summary>
    Planned,
}

/// <summary>One run's state, why, and for a failed run the end of its log.</summary>
/// <param name="Run">The run.</param>
/// <param name="State">Its state.</param>
/// <param name="Detail">e.g. "Slurm 123_4 RUNNING: 400/40000 loss 0.52 | 0:20:01 elapsed, 33:10:00 left", "exit code 2", "Slurm 123_4 TIMEOUT (exit code 0:15)".</param>
/// <param name="LogTail">The last lines of its log when it failed; else empty.</param>
public sealed record SweepRunStatus(SweepRun Run, SweepRunState State, string Detail, IReadOnlyList<string> LogTail);

/// <summary>
/// The state of every run of a sweep, from the cache (published or not), the run's lock (held while it trains), the
/// scheduler (<see cref="SlurmScheduler.Query"/> for Slurm submissions) and the task's exit code file.
/// </summary>
public static class SweepStatus
{
    /// <summary>How many log lines a failed run shows.</summary>
    public const int LogTailLines = 12;

    /// <summary>Every run's status, in sweep order.</summary>
    public static IReadOnlyList<SweepRunStatus> Of(Sweep sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var slurmStates = new Dictionary<string, IReadOnlyDictionary<int, SlurmTaskState>>(StringComparer.Ordinal);
        return sweep.Runs.Select(run =>
        {
            if (sweep.IsDone(run)) return Status(run, SweepRunState.Done, "in the cache");
            var submission = sweep.LatestSubmissionOf(run.Run);
            if (submission is null) return Status(run, SweepRunState.Planned, "not submitted");
            if (submission.Scheduler == "slurm")
            {
                if (!slurmStates.TryGetValue(submission.Job, out var states))
                    slurmStates[submission.Job] = states = SlurmScheduler.Query(submission.Job);
                int index = submission.Runs.ToList().IndexOf(run.Run);
                if (states.TryGetValue(index, out var task))
                {
                    var label = $"Slurm {submission.Job}_{index} {task.State}{(task.Detail.Length > 0 ? $" ({task.Detail})" : "")}";
                    switch (task.State)
                    {
                        case "PENDING" or "REQUEUED" or "REQUEUE_HOLD" or "REQUEUE_FED" or "CONFIGURING" or "RESIZING" or "SUSPENDED":
                            return Status(run, SweepRunState.Pending, label);
                        case "RUNNING" or "COMPLETING" or "STAGE_OUT":
                            return Status(run, SweepRunState.Running, label + Progress(sweep, run));
                        default:
                            return Failed(sweep, run, label + ExitNote(sweep, run));
                    }
                }
            }
            if (IsTraining(sweep, run)) return Status(run, SweepRunState.Running, "training (its lock is held)" + Progress(sweep, run));
            if (ExitCode(sweep, run) is { } code)
                return Failed(sweep, run, code == 0 ? "its task ended (exit code 0) but the run is not in the cache" : $"exit code {code}");
            return Failed(sweep, run, "its task ended without an exit code (killed?); submit again to resume it");
        }).ToList();
    }

    /// <summary>Counts per state, e.g. "3 done, 1 running, 0 pending, 1 failed, 0 planned".</summary>
    public static string Summary(IReadOnlyList<SweepRunStatus> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        return string.Join(", ", Enum.GetValues<SweepRunState>().Select(s =>
            $"{statuses.Count(r => r.State == s).ToString(CultureInfo.InvariantCulture)} {s.ToString().ToLowerInvariant()}"));
    }

    private static SweepRunStatus Status(SweepRun run, SweepRunState state, string detail) => new(run, state, detail, []);

    private static SweepRunStatus Failed(Sweep sweep, SweepRun run, string detail)
    {
        var log = sweep.LogPath(run.Run);
        IReadOnlyList<string> tail = File.Exists(log) ? TailLines(log).TakeLast(LogTailLines).ToList() : [$"(no log at {log})"];
        return new SweepRunStatus(run, SweepRunState.Failed, detail, tail);
    }

    // The training's last progress line in its log ("[run] 40/100 loss 0.41 … | 0:10 elapsed, 0:15 left"), as ": 40/100 …".
    private static string Progress(Sweep sweep, SweepRun run)
    {
        var log = sweep.LogPath(run.Run);
        if (!File.Exists(log)) return "";
        var prefix = $"[{run.Run}] ";
        var line = TailLines(log).LastOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? "" : ": " + line[prefix.Length..];
    }

    // The lines of a log's last 16 KiB: a long training's log can hold tens of thousands of progress lines.
    private static IReadOnlyList<string> TailLines(string path)
    {
        const int TailBytes = 16 * 1024;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        bool cut = stream.Length > TailBytes;
        if (cut) stream.Seek(-TailBytes, SeekOrigin.End);
        using var reader = new StreamReader(stream);
        var lines = reader.ReadToEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (cut) lines.RemoveAt(0); // most likely a partial line
        if (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    private static string ExitNote(Sweep sweep, SweepRun run) => ExitCode(sweep, run) is { } code ? $", task exit code {code}" : "";

    private static int? ExitCode(Sweep sweep, SweepRun run)
    {
        var path = sweep.ExitPath(run.Run);
        return File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) ? code : null;
    }

    // A training holds its run's lock; a free lock is released at once.
    private static bool IsTraining(Sweep sweep, SweepRun run)
    {
        if (!File.Exists(RunLock.PathFor(sweep.CacheRoot, run.Run))) return false;
        using var free = RunLock.TryAcquire(sweep.CacheRoot, run.Run);
        return free is null;
    }
}
